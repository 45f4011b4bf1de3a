using GlcmMae.Shared.Imaging;

namespace GlcmMae.Trainer.Data;

/// <summary>The header facts of a scan that a model's scope records: no identifiers, no dates.</summary>
/// <param name="Format">Dicom, Png or Jpeg.</param>
/// <param name="Modality">DICOM modality, if the file has one.</param>
/// <param name="Photometric">Photometric interpretation, if the file has one.</param>
/// <param name="SamplesPerPixel">1 grayscale, 3 colour.</param>
/// <param name="BitsStored">Bits per sample.</param>
/// <param name="Rows">Height.</param>
/// <param name="Columns">Width.</param>
internal sealed record ScanHeader(string Format, string? Modality, string? Photometric, int SamplesPerPixel, int? BitsStored, int Rows, int Columns)
{
    /// <summary>The header of an opened scan.</summary>
    public static ScanHeader Of(ScanMetadata metadata)
    {
        ArgumentNullException.ThrowIfNull(metadata);
        return new ScanHeader(metadata.Format.ToString(), metadata.Modality, metadata.PhotometricInterpretation, metadata.SamplesPerPixel, metadata.BitsStored, metadata.Rows, metadata.Columns);
    }
}
