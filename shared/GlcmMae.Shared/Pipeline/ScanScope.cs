using System.Globalization;
using GlcmMae.Shared.Imaging;
using GlcmMae.Shared.Inference;
using GlcmMae.Shared.Models;

namespace GlcmMae.Shared.Pipeline;

/// <summary>Whether a scan's header lies within what the model was trained on; the reason when not (header facts only, never patient data).</summary>
public static class ScanScope
{
    /// <summary>How far outside the trained size range a scan may be: sizes from half the smallest to twice the largest pass.</summary>
    public const double SizeTolerance = 2;

    /// <summary>Null when the scan is in scope (or there is nothing to check), else why not.</summary>
    public static string? Check(ModelScope? scope, ScanMetadata metadata, ScopeCheck strictness)
    {
        ArgumentNullException.ThrowIfNull(metadata);
        if (scope is null || strictness == ScopeCheck.Off)
        {
            return null;
        }

        static string List<T>(IEnumerable<T> values) => string.Join(", ", values);
        // A scan is checked on what it carries, not on its container: a PNG export of an ultrasound frame and the DICOM
        // it came from hold the same image; a PNG has no modality, a DICOM file may lack the attribute.
        if (metadata.Modality is { Length: > 0 } modality && scope.Modalities.Count > 0 && !scope.Modalities.Contains(modality, StringComparer.OrdinalIgnoreCase))
        {
            return $"the scan's modality is {modality}; the model was trained on {List(scope.Modalities)}";
        }

        if (scope.SamplesPerPixel.Count > 0 && !scope.SamplesPerPixel.Contains(metadata.SamplesPerPixel))
        {
            return string.Create(CultureInfo.InvariantCulture, $"the scan has {metadata.SamplesPerPixel} samples per pixel; the model was trained on {List(scope.SamplesPerPixel)}");
        }

        if (strictness == ScopeCheck.Modality)
        {
            return null;
        }

        if (metadata.PhotometricInterpretation is { Length: > 0 } photometric && scope.PhotometricInterpretations.Count > 0
            && !scope.PhotometricInterpretations.Contains(ModelScope.NormalisePhotometric(photometric), StringComparer.OrdinalIgnoreCase))
        {
            return $"the scan's photometric interpretation is {photometric}; the model was trained on {List(scope.PhotometricInterpretations)}";
        }

        if (metadata.BitsStored is { } bits && scope.MaxBitsStored > 0 && (bits < scope.MinBitsStored || bits > scope.MaxBitsStored))
        {
            return string.Create(CultureInfo.InvariantCulture, $"the scan stores {bits} bits; the model was trained on {scope.MinBitsStored}-{scope.MaxBitsStored}");
        }

        if (scope.MaxRows > 0 && (Outside(metadata.Rows, scope.MinRows, scope.MaxRows) || Outside(metadata.Columns, scope.MinColumns, scope.MaxColumns)))
        {
            return string.Create(CultureInfo.InvariantCulture,
                $"the scan is {metadata.Columns} x {metadata.Rows}; the model was trained on {scope.MinColumns}-{scope.MaxColumns} x {scope.MinRows}-{scope.MaxRows} (half to twice that passes)");
        }

        return null;
    }

    private static bool Outside(int size, int min, int max) => size < min / SizeTolerance || size > max * SizeTolerance;
}
