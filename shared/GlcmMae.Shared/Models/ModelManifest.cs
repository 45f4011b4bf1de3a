using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

using GlcmMae.Shared.Preprocessing;

namespace GlcmMae.Shared.Models;

/// <summary><c>manifest.json</c> of a published model version: what serving needs to run it and what reviewers need to trust it.</summary>
public sealed record ModelManifest
{
    /// <summary>Manifest schema version.</summary>
    public int SchemaVersion { get; init; } = 1;

    /// <summary>Model name (the registry folder).</summary>
    public required string Name { get; init; }

    /// <summary>Sortable version: UTC timestamp plus a short hash of the ONNX file.</summary>
    public required string Version { get; init; }

    /// <summary>When the version was exported (UTC).</summary>
    public required DateTimeOffset Created { get; init; }

    /// <summary>Class labels in output order.</summary>
    public required IReadOnlyList<string> Labels { get; init; }

    /// <summary>Name of the NCHW float input.</summary>
    public required string InputName { get; init; }

    /// <summary>Input shape with -1 for the dynamic batch.</summary>
    public required IReadOnlyList<long> InputShape { get; init; }

    /// <summary>Output names: logits, then probabilities.</summary>
    public required IReadOnlyList<string> OutputNames { get; init; }

    /// <summary>The preprocessing spec (canonical JSON object) serving must apply.</summary>
    public required JsonObject Preprocessing { get; init; }

    /// <summary>The spec of <see cref="Preprocessing"/>, validated: what training used and serving must apply.</summary>
    public PreprocessingSpec ReadPreprocessing() => PreprocessingSpec.FromJson(Preprocessing);

    /// <summary>SHA-256 of the canonical preprocessing JSON.</summary>
    public required string PreprocessingHash { get; init; }

    /// <summary>ONNX default-domain opset.</summary>
    public required int Opset { get; init; }

    /// <summary>Hex SHA-256 of model.onnx, checked on every load.</summary>
    public required string Sha256 { get; init; }

    /// <summary>Training settings and provenance (free-form).</summary>
    public JsonObject? Training { get; init; }

    /// <summary>SHA-256 over the training scans' content hashes and labels: the same scans give the same fingerprint whatever their names.</summary>
    public string? DatasetFingerprint { get; init; }

    /// <summary>The same fingerprint over the test scans the metrics were measured on.</summary>
    public string? EvaluationSetFingerprint { get; init; }

    /// <summary>Figures by split ("validation", "test") and name (e.g. balancedAccuracy).</summary>
    public IReadOnlyDictionary<string, IReadOnlyDictionary<string, double>> Metrics { get; init; } = new Dictionary<string, IReadOnlyDictionary<string, double>>();

    /// <summary>What the model was trained on (formats, modalities, channels, bit depths, sizes); serving refuses scans outside it. Null for models published before scopes were recorded.</summary>
    public ModelScope? Scope { get; init; }

    /// <summary>The TorchSharp vs ONNX Runtime check that allowed publishing.</summary>
    public JsonObject? Parity { get; init; }

    /// <summary>Calibration, abstention and operating point fitted on validation; null (a model from before them, or too little validation data): uncalibrated, never abstains, no decision.</summary>
    public Safety.SafetyProfile? Safety { get; init; }

    /// <summary>JSON options of manifests and pointers (camelCase, indented).</summary>
    public static JsonSerializerOptions JsonOptions { get; } = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    /// <summary>Reads a manifest, with a clear error for a broken file.</summary>
    public static ModelManifest Parse(ReadOnlySpan<byte> json, string where)
    {
        try
        {
            return JsonSerializer.Deserialize<ModelManifest>(json, JsonOptions) ?? throw new ModelRegistryException("ManifestInvalid", $"{where} is empty.");
        }
        catch (JsonException exception)
        {
            throw new ModelRegistryException("ManifestInvalid", $"{where} is not a valid model manifest: {exception.Message}");
        }
    }

    /// <summary>The manifest as JSON bytes.</summary>
    public byte[] ToJsonBytes() => JsonSerializer.SerializeToUtf8Bytes(this, JsonOptions);
}
