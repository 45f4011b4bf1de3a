using GlcmMae.Shared.Imaging;
using GlcmMae.Shared.Inference;
using GlcmMae.Shared.Models;
using GlcmMae.Shared.Pipeline;

namespace GlcmMae.Shared.Tests.Pipeline;

public sealed class ScanScopeTests
{
    private static readonly ModelScope Ultrasound = new()
    {
        Formats = ["Dicom", "Png"],
        Modalities = ["US"],
        PhotometricInterpretations = ["MONOCHROME"],
        SamplesPerPixel = [1],
        MinBitsStored = 8,
        MaxBitsStored = 8,
        MinRows = 400,
        MaxRows = 600,
        MinColumns = 500,
        MaxColumns = 800,
    };

    private static ScanMetadata Scan(string? modality = "US", int bits = 8, int rows = 480, int columns = 640, int samples = 1, string? photometric = "MONOCHROME2") => new()
    {
        Format = ScanFormat.Dicom,
        Modality = modality,
        BitsStored = bits,
        Rows = rows,
        Columns = columns,
        SamplesPerPixel = samples,
        PhotometricInterpretation = photometric,
    };

    [Fact]
    public void A_scan_like_the_training_scans_is_in_scope()
    {
        Assert.Null(ScanScope.Check(Ultrasound, Scan(), ScopeCheck.Full));
        Assert.Null(ScanScope.Check(Ultrasound, Scan(photometric: "MONOCHROME1"), ScopeCheck.Full));
        Assert.Null(ScanScope.Check(Ultrasound, Scan(modality: null), ScopeCheck.Full));
        Assert.Null(ScanScope.Check(Ultrasound, Scan(rows: 201, columns: 1600), ScopeCheck.Full));
    }

    [Theory]
    [InlineData("CT", 8, 480, 640, 1, "MONOCHROME2", "modality is CT")]
    [InlineData("US", 12, 480, 640, 1, "MONOCHROME2", "stores 12 bits")]
    [InlineData("US", 8, 480, 640, 3, "RGB", "3 samples per pixel")]
    [InlineData("US", 8, 480, 640, 1, "PALETTE COLOR", "photometric interpretation is PALETTE COLOR")]
    [InlineData("US", 8, 199, 640, 1, "MONOCHROME2", "half to twice")]
    [InlineData("US", 8, 480, 1601, 1, "MONOCHROME2", "half to twice")]
    public void A_scan_unlike_them_is_refused_with_the_reason(string modality, int bits, int rows, int columns, int samples, string photometric, string reason) =>
        Assert.Contains(reason, ScanScope.Check(Ultrasound, Scan(modality, bits, rows, columns, samples, photometric), ScopeCheck.Full), StringComparison.Ordinal);

    [Fact]
    public void Strictness_decides_what_is_checked()
    {
        Assert.Null(ScanScope.Check(Ultrasound, Scan(bits: 16, rows: 2000), ScopeCheck.Modality));
        Assert.NotNull(ScanScope.Check(Ultrasound, Scan(modality: "CT"), ScopeCheck.Modality));
        Assert.Null(ScanScope.Check(Ultrasound, Scan(modality: "CT"), ScopeCheck.Off));
        Assert.Null(ScanScope.Check(null, Scan(modality: "CT"), ScopeCheck.Full));
    }
}
