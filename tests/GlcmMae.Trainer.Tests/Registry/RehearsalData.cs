using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;

namespace GlcmMae.Trainer.Tests.Registry;

/// <summary>
/// Labelled datasets a tiny model learns in seconds: the classes differ in brightness under noise (benign dark,
/// malignant mid-grey, normal bright), so a retrain's figures say something and a model trained on shuffled labels is
/// clearly worse than one trained on true labels.
/// </summary>
internal static class RehearsalData
{
    public static readonly string[] Labels = ["benign", "malignant", "normal"];

    /// <summary>Writes <paramref name="perClass"/> PNG scans per class into class folders, named <c>{prefix}-{i}.png</c>.</summary>
    public static void Write(string folder, int perClass, string prefix, int seed)
    {
        var random = new Random(seed);
        for (var c = 0; c < Labels.Length; c++)
        {
            var classFolder = Path.Combine(folder, Labels[c]);
            Directory.CreateDirectory(classFolder);
            for (var i = 0; i < perClass; i++)
            {
                using var image = new Image<L8>(64, 64);
                var level = 60 + (68 * c);
                for (var y = 0; y < 64; y++)
                {
                    for (var x = 0; x < 64; x++)
                    {
                        // A black and a white pixel fix the intensity range whatever windowing does; the rest is the class's level with noise.
                        var value = (x, y) switch { (0, 0) => 0, (1, 0) => 255, _ => Math.Clamp(level + random.Next(-25, 26), 1, 254) };
                        image[x, y] = new L8((byte)value);
                    }
                }

                image.SaveAsPng(Path.Combine(classFolder, $"{prefix}-{i:D3}.png"));
            }
        }
    }

    /// <summary>Copies a dataset folder.</summary>
    public static void Copy(string from, string to)
    {
        foreach (var file in Directory.EnumerateFiles(from, "*", SearchOption.AllDirectories))
        {
            var target = Path.Combine(to, Path.GetRelativePath(from, file));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target);
        }
    }

    /// <summary>Writes labels.csv (path,label) in which the scans the <paramref name="shuffled"/> set names get their labels randomly permuted among themselves.</summary>
    public static void ShuffleLabels(string folder, IReadOnlySet<string> shuffled, int seed)
    {
        var scans = Directory.EnumerateFiles(folder, "*.png", SearchOption.AllDirectories)
            .Select(f => Path.GetRelativePath(folder, f).Replace('\\', '/'))
            .Order(StringComparer.Ordinal)
            .Select(path => (Path: path, Label: path.Split('/')[0]))
            .ToArray();
        var chosen = scans.Where(s => shuffled.Contains(s.Path)).Select(s => s.Label).ToArray();
        new Random(seed).Shuffle(chosen);
        var next = 0;
        var lines = scans.Select(s => $"{s.Path},{(shuffled.Contains(s.Path) ? chosen[next++] : s.Label)}");
        File.WriteAllLines(Path.Combine(folder, "labels.csv"), ["path,label", .. lines]);
    }
}
