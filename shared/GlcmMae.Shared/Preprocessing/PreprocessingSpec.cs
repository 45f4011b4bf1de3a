using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using GlcmMae.Shared.Imaging;

namespace GlcmMae.Shared.Preprocessing;

/// <summary>Everything that turns a decoded scan into a model input; serialised into every model manifest.</summary>
/// <remarks>Training and serving both run <see cref="Preprocessor"/> with the spec of the model, so a model sees the same tensors in both.</remarks>
public sealed record PreprocessingSpec
{
    /// <summary>Current spec format version.</summary>
    public const int CurrentVersion = 1;

    /// <summary>Format version of this spec.</summary>
    public int Version { get; init; } = CurrentVersion;

    /// <summary>Which frame of a multi-frame scan to use.</summary>
    public FrameSelection Frame { get; init; } = FrameSelection.Middle;

    /// <summary>Frame number when <see cref="Frame"/> is <see cref="FrameSelection.Index"/>.</summary>
    public int FrameIndex { get; init; }

    /// <summary>How grayscale values are windowed into [0, 1].</summary>
    public WindowMode Window { get; init; } = WindowMode.Dicom;

    /// <summary>Which of several DICOM windows to use (0 = first).</summary>
    public int WindowIndex { get; init; }

    /// <summary>Window centre for <see cref="WindowMode.Explicit"/>.</summary>
    public double? WindowCenter { get; init; }

    /// <summary>Window width for <see cref="WindowMode.Explicit"/>.</summary>
    public double? WindowWidth { get; init; }

    /// <summary>Window function; null uses the file's VOI LUT Function (LINEAR when absent).</summary>
    public VoiLutFunction? WindowFunction { get; init; }

    /// <summary>Lower percentile for <see cref="WindowMode.Percentile"/>.</summary>
    public double LowPercentile { get; init; } = 0.5;

    /// <summary>Upper percentile for <see cref="WindowMode.Percentile"/>.</summary>
    public double HighPercentile { get; init; } = 99.5;

    /// <summary>Output channels: 1 (grayscale; RGB becomes BT.601 luma) or 3 (grayscale replicated).</summary>
    public int Channels { get; init; } = 1;

    /// <summary>The shorter side is resized to this many pixels, keeping the aspect ratio.</summary>
    public int ResizeShorterSide { get; init; } = 256;

    /// <summary>Resize interpolation.</summary>
    public ResizeKernel Interpolation { get; init; } = ResizeKernel.Bicubic;

    /// <summary>Side of the centre crop taken after resizing (the model's input size).</summary>
    public int CropSize { get; init; } = 224;

    /// <summary>At which resolution scans are decoded (JPEG 2000 can decode a reduced one).</summary>
    /// <remarks>Left out of the JSON at its default, so that the specs (and hashes) of models made before it existed are unchanged.</remarks>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public DecodeResolution DecodeResolution { get; init; }

    /// <summary>The shorter side a reduced-resolution decode must keep (<see cref="ResizeShorterSide"/>); 0 decodes in full.</summary>
    [JsonIgnore]
    public int MinimumDecodedShorterSide => DecodeResolution == DecodeResolution.Reduced ? ResizeShorterSide : 0;

    /// <summary>Per-channel mean subtracted after scaling to [0, 1] (dataset statistics).</summary>
    public IReadOnlyList<float> Mean { get; init; } = [0f];

    /// <summary>Per-channel standard deviation divided by after subtracting the mean.</summary>
    public IReadOnlyList<float> Std { get; init; } = [1f];

    /// <summary>The paper's evaluation transform (resize 256, bicubic, centre crop 224) for grayscale input.</summary>
    public static PreprocessingSpec Default { get; } = new();

    private static readonly JsonSerializerOptions CanonicalOptions = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.CamelCase) },
        WriteIndented = false,
    };

    /// <summary>Serialises to JSON (camelCase, enums as strings).</summary>
    public string ToJson() => JsonSerializer.Serialize(this, CanonicalOptions);

    /// <summary>The canonical JSON as the object a model manifest holds (the same text as <see cref="ToJson"/>).</summary>
    public JsonObject ToJsonObject() => JsonSerializer.SerializeToNode(this, CanonicalOptions)!.AsObject();

    /// <summary>Reads a manifest's spec object and validates it.</summary>
    public static PreprocessingSpec FromJson(JsonObject json)
    {
        ArgumentNullException.ThrowIfNull(json);
        var spec = json.Deserialize<PreprocessingSpec>(CanonicalOptions) ?? throw new JsonException("The preprocessing spec is empty.");
        spec.Validate();
        return spec;
    }

    /// <summary>Parses a spec written by <see cref="ToJson"/> and validates it.</summary>
    public static PreprocessingSpec FromJson(string json)
    {
        var spec = JsonSerializer.Deserialize<PreprocessingSpec>(json, CanonicalOptions)
            ?? throw new JsonException("The preprocessing spec is empty.");
        spec.Validate();
        return spec;
    }

    /// <summary>Stable SHA-256 (hex) of the canonical JSON: equal specs give equal hashes on every machine.</summary>
    public string ComputeHash() => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(ToJson())));

    /// <summary>Throws <see cref="ArgumentException"/> naming the first invalid setting.</summary>
    public void Validate()
    {
        if (Version != CurrentVersion)
        {
            throw new ArgumentException($"Preprocessing spec version {Version} is not supported (expected {CurrentVersion}); upgrade GlcmMae.");
        }

        if (Channels is not (1 or 3))
        {
            throw new ArgumentException($"Channels must be 1 or 3, not {Channels}.");
        }

        if (CropSize < 1 || ResizeShorterSide < CropSize)
        {
            throw new ArgumentException($"ResizeShorterSide ({ResizeShorterSide}) must be at least CropSize ({CropSize}), and CropSize positive.");
        }

        if (Mean.Count != Channels || Std.Count != Channels || Std.Any(s => s <= 0))
        {
            throw new ArgumentException($"Mean and Std need {Channels} value(s) each, and Std must be positive.");
        }

        if (Window == WindowMode.Explicit && (WindowCenter is null || WindowWidth is not >= 1))
        {
            throw new ArgumentException("An explicit window needs WindowCenter and a WindowWidth of at least 1.");
        }

        if (Window == WindowMode.Percentile && !(LowPercentile >= 0 && LowPercentile < HighPercentile && HighPercentile <= 100))
        {
            throw new ArgumentException("Percentiles must satisfy 0 <= LowPercentile < HighPercentile <= 100.");
        }
    }
}
