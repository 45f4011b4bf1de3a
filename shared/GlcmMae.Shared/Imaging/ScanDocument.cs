using GlcmMae.Shared.Imaging.Dicom;
using GlcmMae.Shared.Imaging.Raster;

namespace GlcmMae.Shared.Imaging;

/// <summary>A scan that has been identified and parsed; frames decode on demand.</summary>
public sealed class ScanDocument
{
    private readonly DicomFile? _dicom;
    private readonly DicomPixelData? _pixelData;

    // PNG/JPEG: the file, and the frame decoded while opening it, which either public callers share or one recycling
    // caller takes (RasterFresh -> RasterShared or RasterTaken); whoever comes too late decodes the file again.
    private const int RasterFresh = 0;
    private const int RasterShared = 1;
    private const int RasterTaken = 2;
    private readonly ReadOnlyMemory<byte> _rasterBytes;
    private readonly int _maxDimension;
    private readonly ScanImage? _raster;
    private int _rasterState;

    private ScanDocument(ScanMetadata metadata, DicomFile? dicom, DicomPixelData? pixelData)
    {
        Metadata = metadata;
        _dicom = dicom;
        _pixelData = pixelData;
    }

    private ScanDocument(ScanMetadata metadata, ReadOnlyMemory<byte> bytes, int maxDimension, ScanImage raster)
    {
        Metadata = metadata;
        _rasterBytes = bytes;
        _maxDimension = maxDimension;
        _raster = raster;
    }

    /// <summary>Identifiers and geometry, safe to log and publish.</summary>
    public ScanMetadata Metadata { get; }

    /// <summary>The parsed DICOM file (for code that needs more attributes), or null for PNG/JPEG.</summary>
    public DicomFile? Dicom => _dicom;

    /// <summary>Identifies the format from the bytes and parses the scan (PNG/JPEG decode here, DICOM frames later).</summary>
    public static ScanDocument Open(ReadOnlyMemory<byte> bytes, DicomReaderOptions? options = null)
    {
        options ??= DicomReaderOptions.Default;
        if (bytes.Length > options.MaxFileBytes)
        {
            throw new ImageTooLargeException($"The file is {bytes.Length} bytes; the limit is {options.MaxFileBytes}.");
        }

        var format = ScanFormatSniffer.Detect(bytes.Span);
        switch (format)
        {
            case ScanFormat.Dicom:
                var file = DicomFile.Parse(bytes, DicomReadMode.Full, options);
                var pixelData = DicomPixelData.Create(file, options);
                return new ScanDocument(DescribeDicom(file, pixelData), file, pixelData);
            case ScanFormat.Png or ScanFormat.Jpeg:
                var image = RasterImageReader.Decode(bytes, options.MaxDimension);
                var metadata = new ScanMetadata
                {
                    Format = format,
                    Columns = image.Width,
                    Rows = image.Height,
                    SamplesPerPixel = image.Channels,
                    // 8, 12 or 16: the bits the file's samples carry (255, 4095 or 65535 at most).
                    BitsStored = (int)Math.Ceiling(Math.Log2(image.MaxValue + 1)),
                };
                return new ScanDocument(metadata, bytes, options.MaxDimension, image);
            default:
                throw new ImageFormatException("UnsupportedFormat", "The file is not DICOM, PNG or JPEG (format detected from its first bytes).");
        }
    }

    /// <summary>Reads a stream (within the size limit) and opens it.</summary>
    public static async Task<ScanDocument> OpenAsync(Stream stream, DicomReaderOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(stream);
        options ??= DicomReaderOptions.Default;
        var bytes = await StreamReading.ReadAllAsync(stream, options.MaxFileBytes, "scan", cancellationToken).ConfigureAwait(false);
        return Open(bytes, options);
    }

    /// <summary>Decodes one frame to real values.</summary>
    public ScanImage DecodeFrame(int index) => Frame(index, 0, recycling: false);

    /// <summary>
    /// Decodes one frame at the smallest resolution whose shorter side is at least <paramref name="minimumShorterSide"/>
    /// where the format allows it (JPEG 2000 and HTJ2K, <see cref="DicomPixelData.ReducedFor"/>); in full otherwise.
    /// </summary>
    /// <remarks>Preprocessing calls this with its spec's <see cref="Preprocessing.PreprocessingSpec.MinimumDecodedShorterSide"/>, so training and serving decode alike.</remarks>
    public ScanImage DecodeFrame(int index, int minimumShorterSide) => Frame(index, minimumShorterSide, recycling: false);

    /// <summary>Decodes a frame for a caller that will not keep it, which then hands the pixels to <see cref="FramePool"/>.</summary>
    /// <remarks>
    /// A PNG or JPEG frame was decoded by <see cref="Open"/> already: such a caller takes that one unless a public caller
    /// holds it, so a scan's frame is decoded once and its megabytes of pixels are reused by the next scan.
    /// </remarks>
    internal ScanImage DecodeFrameForRecycling(int index, int minimumShorterSide) => Frame(index, minimumShorterSide, recycling: true);

    private ScanImage Frame(int index, int minimumShorterSide, bool recycling)
    {
        if (_dicom is not null)
        {
            return DicomImageDecoder.Decode(_dicom, _pixelData!.ReducedFor(index, minimumShorterSide), index);
        }

        ArgumentOutOfRangeException.ThrowIfNotEqual(index, 0);
        var before = Interlocked.CompareExchange(ref _rasterState, recycling ? RasterTaken : RasterShared, RasterFresh);
        var opened = recycling ? before == RasterFresh : before != RasterTaken;
        return opened ? _raster! : RasterImageReader.Decode(_rasterBytes, _maxDimension);
    }

    private static ScanMetadata DescribeDicom(DicomFile file, DicomPixelData pixelData)
    {
        var dataset = file.Dataset;
        return new ScanMetadata
        {
            Format = ScanFormat.Dicom,
            Columns = pixelData.Columns,
            Rows = pixelData.Rows,
            Frames = pixelData.NumberOfFrames,
            SamplesPerPixel = pixelData.SamplesPerPixel,
            TransferSyntaxUid = file.TransferSyntax.Uid,
            StudyInstanceUid = dataset.GetString(DicomTags.StudyInstanceUid),
            SeriesInstanceUid = dataset.GetString(DicomTags.SeriesInstanceUid),
            SopInstanceUid = dataset.GetString(DicomTags.SopInstanceUid) ?? file.Meta.GetString(DicomTags.MediaStorageSopInstanceUid),
            Modality = dataset.GetString(DicomTags.Modality),
            BodyPartExamined = dataset.GetString(DicomTags.BodyPartExamined),
            PhotometricInterpretation = pixelData.PhotometricInterpretation,
            BitsStored = pixelData.BitsStored,
        };
    }
}
