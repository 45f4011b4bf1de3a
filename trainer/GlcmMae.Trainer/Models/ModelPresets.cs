namespace GlcmMae.Trainer.Models;

/// <summary>Named model shapes: <c>tiny</c> for tests and CPU demos, <c>small</c>, and <c>base</c> (the paper's ViT-B/16).</summary>
internal static class ModelPresets
{
    /// <summary>The preset names, smallest first.</summary>
    public static IReadOnlyList<string> Names { get; } = ["tiny", "small", "base"];

    /// <summary>
    /// A preset with its input geometry changed: <paramref name="imageSize"/> (input side) and <paramref name="patchSize"/>
    /// (token and GLCM patch side), each kept from the preset when null. Widths and depths stay the preset's.
    /// </summary>
    /// <exception cref="ArgumentException">The image is not a whole number of patches, or the patches are too small or too few.</exception>
    public static MaeConfig Get(string name, int channels, int? imageSize, int? patchSize)
    {
        var preset = Get(name, channels);
        var (image, patch) = (imageSize ?? preset.ImageSize, patchSize ?? preset.PatchSize);
        if (patch < 4 || image % patch != 0 || image / patch < 2)
        {
            throw new ArgumentException($"--image-size {image} must be a whole number (2 or more) of --patch-size {patch} patches, and patches at least 4 px.");
        }

        return preset with { ImageSize = image, PatchSize = patch };
    }

    /// <summary>The config of a preset, for the given input channels.</summary>
    public static MaeConfig Get(string name, int channels = 1) => name.ToLowerInvariant() switch
    {
        // 64 px keeps the paper's 16 px GLCM patches while a CPU step takes milliseconds.
        "tiny" => new MaeConfig
        {
            Name = "tiny",
            ImageSize = 64,
            PatchSize = 16,
            Channels = channels,
            EmbedDim = 192,
            Depth = 4,
            Heads = 3,
            DecoderEmbedDim = 128,
            DecoderDepth = 2,
            DecoderHeads = 4,
        },
        "small" => new MaeConfig
        {
            Name = "small",
            ImageSize = 224,
            PatchSize = 16,
            Channels = channels,
            EmbedDim = 384,
            Depth = 12,
            Heads = 6,
            DecoderEmbedDim = 256,
            DecoderDepth = 4,
            DecoderHeads = 8,
        },
        "base" => new MaeConfig
        {
            Name = "base",
            ImageSize = 224,
            PatchSize = 16,
            Channels = channels,
            EmbedDim = 768,
            Depth = 12,
            Heads = 12,
            DecoderEmbedDim = 512,
            DecoderDepth = 8,
            DecoderHeads = 16,
        },
        _ => throw new ArgumentException($"Unknown model preset '{name}'; use one of: {string.Join(", ", Names)}."),
    };
}
