using System.Globalization;

namespace GlcmMae.Trainer.Data;

/// <summary>The scans of a dataset and their labels, from class folders or a CSV of path,label.</summary>
internal sealed class DatasetManifest
{
    /// <summary>Name of the manifest file looked for in a dataset folder.</summary>
    public const string CsvFileName = "labels.csv";

    private DatasetManifest(IReadOnlyList<LabelledScan> scans)
    {
        Scans = scans;
        Labels = scans.Select(s => s.Label).OfType<string>().Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToArray();
    }

    /// <summary>Scans in a stable order (sorted by path).</summary>
    public IReadOnlyList<LabelledScan> Scans { get; }

    /// <summary>Class labels, ordinally sorted: the label index is the position here.</summary>
    public IReadOnlyList<string> Labels { get; }

    /// <summary>Reads <c>labels.csv</c> when the folder has one, otherwise one sub-folder per class (files directly in the root are unlabelled).</summary>
    public static DatasetManifest Load(string path)
    {
        if (File.Exists(path))
        {
            return FromCsv(path);
        }

        if (!Directory.Exists(path))
        {
            throw new DatasetFormatException($"Dataset '{path}' does not exist; give a folder (class sub-folders or {CsvFileName}) or a CSV file of path,label.");
        }

        var csv = System.IO.Path.Combine(path, CsvFileName);
        return File.Exists(csv) ? FromCsv(csv) : FromFolders(path);
    }

    private static DatasetManifest FromFolders(string root)
    {
        var scans = new List<LabelledScan>();
        foreach (var file in Directory.EnumerateFiles(root, "*", SearchOption.AllDirectories))
        {
            var relative = System.IO.Path.GetRelativePath(root, file);
            if (System.IO.Path.GetFileName(file).StartsWith('.'))
            {
                continue;
            }

            var separator = relative.IndexOf(System.IO.Path.DirectorySeparatorChar, StringComparison.Ordinal);
            scans.Add(new LabelledScan(file, separator < 0 ? null : relative[..separator]));
        }

        if (scans.Count == 0)
        {
            throw new DatasetFormatException($"Dataset folder '{root}' holds no files.");
        }

        return new DatasetManifest(scans.OrderBy(s => s.Path, StringComparer.Ordinal).ToArray());
    }

    private static DatasetManifest FromCsv(string csvPath)
    {
        var folder = System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(csvPath))!;
        var scans = new List<LabelledScan>();
        var lineNumber = 0;
        // Without a header the columns are path,label; a header may name path, label and split in any order.
        var (pathColumn, labelColumn, splitColumn) = (0, 1, -1);
        foreach (var line in File.ReadLines(csvPath))
        {
            lineNumber++;
            if (string.IsNullOrWhiteSpace(line))
            {
                continue;
            }

            var parts = line.Split(',', StringSplitOptions.TrimEntries);
            if (lineNumber == 1 && parts.Any(p => string.Equals(p, "path", StringComparison.OrdinalIgnoreCase)))
            {
                pathColumn = Column(parts, "path");
                labelColumn = Column(parts, "label");
                splitColumn = Column(parts, "split");
                continue;
            }

            var file = System.IO.Path.GetFullPath(parts[pathColumn], folder);
            if (!File.Exists(file))
            {
                throw new DatasetFormatException(string.Create(CultureInfo.InvariantCulture, $"{csvPath} line {lineNumber}: '{parts[pathColumn]}' does not exist (paths are relative to the CSV's folder)."));
            }

            var label = Cell(parts, labelColumn);
            var split = Cell(parts, splitColumn);
            if (split is not null && !SplitNames.TryParse(split, out _))
            {
                throw new DatasetFormatException(string.Create(CultureInfo.InvariantCulture, $"{csvPath} line {lineNumber}: split '{split}' is not one of train, val, test."));
            }

            scans.Add(new LabelledScan(file, label) { Split = split is null ? null : SplitNames.Parse(split) });
        }

        if (scans.Count == 0)
        {
            throw new DatasetFormatException($"{csvPath} lists no scans; write one 'path,label' line per scan.");
        }

        return new DatasetManifest(scans.OrderBy(s => s.Path, StringComparer.Ordinal).ToArray());
    }

    private static int Column(string[] header, string name) => Array.FindIndex(header, h => string.Equals(h, name, StringComparison.OrdinalIgnoreCase));

    private static string? Cell(string[] parts, int column) => column >= 0 && column < parts.Length && parts[column].Length > 0 ? parts[column] : null;
}
