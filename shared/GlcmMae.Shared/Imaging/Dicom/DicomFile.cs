namespace GlcmMae.Shared.Imaging.Dicom;

/// <summary>A parsed DICOM file: file meta information, the dataset, and its transfer syntax.</summary>
public sealed class DicomFile
{
    internal DicomFile(DicomDataset meta, DicomDataset dataset, DicomTransferSyntax transferSyntax, bool stoppedAtPixelData)
    {
        Meta = meta;
        Dataset = dataset;
        TransferSyntax = transferSyntax;
        PixelDataSkipped = stoppedAtPixelData;
    }

    /// <summary>Group 0002 (empty for a bare dataset without file meta information).</summary>
    public DicomDataset Meta { get; }

    /// <summary>The dataset proper.</summary>
    public DicomDataset Dataset { get; }

    /// <summary>How the dataset and its pixel data are encoded.</summary>
    public DicomTransferSyntax TransferSyntax { get; }

    /// <summary>True when read with <see cref="DicomReadMode.MetadataOnly"/> and pixel data was present but not read.</summary>
    public bool PixelDataSkipped { get; }

    /// <summary>Parses a file held in memory.</summary>
    public static DicomFile Parse(ReadOnlyMemory<byte> bytes, DicomReadMode mode = DicomReadMode.Full, DicomReaderOptions? options = null) =>
        DicomParser.Parse(bytes, options ?? DicomReaderOptions.Default, mode);

    /// <summary>Reads and parses a file from disk.</summary>
    public static Task<DicomFile> OpenAsync(string path, CancellationToken cancellationToken = default) =>
        OpenAsync(path, DicomReadMode.Full, null, cancellationToken);

    /// <summary>Reads and parses a file from disk with a read mode and limits.</summary>
    public static async Task<DicomFile> OpenAsync(string path, DicomReadMode mode, DicomReaderOptions? options, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1, useAsync: true);
        await using (stream.ConfigureAwait(false))
        {
            return await OpenAsync(stream, mode, options, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Reads a stream to its end (within the size limit) and parses it.</summary>
    public static async Task<DicomFile> OpenAsync(Stream stream, DicomReadMode mode = DicomReadMode.Full, DicomReaderOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(stream);
        options ??= DicomReaderOptions.Default;
        var bytes = await StreamReading.ReadAllAsync(stream, options.MaxFileBytes, "DICOM file", cancellationToken).ConfigureAwait(false);
        return DicomParser.Parse(bytes, options, mode);
    }
}
