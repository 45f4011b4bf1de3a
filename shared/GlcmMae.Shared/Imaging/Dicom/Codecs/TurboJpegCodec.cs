using System.Buffers;
using System.Buffers.Binary;
using System.Runtime.InteropServices;

namespace GlcmMae.Shared.Imaging.Dicom.Codecs;

/// <summary>8-bit DCT JPEG (DICOM frames and JPEG files: baseline, extended, progressive), decoded by the system's libjpeg-turbo (libturbojpeg0) through its TurboJPEG C API.</summary>
/// <remarks>
/// Ultrasound archives are mostly JPEG baseline, so this is the hot path: libjpeg-turbo is used over the managed decoder
/// because it is several times faster (docs/imaging.md, "Measurements behind the decoders"). Samples come out as coded, without a colour transform (PS3.5 8.2.1: the photometric interpretation
/// describes the decoded samples, and the image decoder converts YBR), with chroma upsampled by replication as the
/// managed decoder does. Its accurate integer IDCT is the IJG reference's, which dcmtk uses too.
/// </remarks>
public static unsafe class TurboJpegCodec
{
    private const int PixelFormatRgb = 0;
    private const int PixelFormatGray = 6;
    private const int ColorspaceRgb = 0;
    private const int ColorspaceYCbCr = 1;
    private const int ColorspaceGray = 2;

    // Accurate integer IDCT (the IJG reference's). Warnings do not stop the decoder; Decompressor decides which ones
    // mean lost image data.
    private const int Flags = 4096;
    private const int ErrorCodeWarning = 0;

    private static readonly NativeCodecLibrary Library = new("libjpeg-turbo TurboJPEG library", "libturbojpeg0", "libturbojpeg.so.0", "turbojpeg", "libturbojpeg.so") { UbuntuPackage = "libturbojpeg" };

    /// <summary>True when libturbojpeg could be loaded.</summary>
    public static bool IsAvailable => Library.IsAvailable;

    /// <summary>True for the frames this codec decodes: DCT-based (SOF0, SOF1, SOF2) with 8-bit samples; 12-bit and lossless frames are not.</summary>
    public static bool Handles(ReadOnlySpan<byte> frame)
    {
        if (frame.Length < 4 || frame[0] != 0xFF || frame[1] != 0xD8)
        {
            return false;
        }

        var at = 2;
        while (at + 4 <= frame.Length)
        {
            if (frame[at] != 0xFF)
            {
                return false;
            }

            var marker = frame[at + 1];
            if (marker == 0xFF)
            {
                // Fill byte before a marker.
                at++;
                continue;
            }

            if (marker is 0xC0 or 0xC1 or 0xC2)
            {
                return at + 4 < frame.Length && frame[at + 4] == 8;
            }

            if (marker is (>= 0xC3 and <= 0xCF and not 0xC4 and not 0xC8 and not 0xCC) or 0xDA)
            {
                // Another frame type (lossless, arithmetic, hierarchical), or the scan began without a frame header.
                return false;
            }

            at += 2 + BinaryPrimitives.ReadUInt16BigEndian(frame[(at + 2)..]);
        }

        return false;
    }

    /// <summary>
    /// Decodes a JPEG file as viewers and Pillow do (YCbCr converted to RGB with smooth chroma upsampling); null for the
    /// files it leaves to a general decoder (12-bit, lossless, CMYK).
    /// </summary>
    /// <remarks>Pillow decodes with libjpeg-turbo's defaults too, so datasets prepared in Python see the same values.</remarks>
    /// <exception cref="ImageFormatException">The file is damaged, or libturbojpeg is not installed.</exception>
    /// <exception cref="ImageTooLargeException">A side exceeds <paramref name="maxDimension"/>.</exception>
    public static ScanImage? TryDecodeImage(ReadOnlySpan<byte> jpeg, int maxDimension)
    {
        if (!Handles(jpeg))
        {
            return null;
        }

        if (!Library.IsAvailable)
        {
            throw new ImageFormatException("UnsupportedFormat", $"JPEG files are decoded by the system's {Library.Description}, which is not installed: {Library.InstallAdvice}.");
        }

        using var decompressor = new Decompressor();
        fixed (byte* source = jpeg)
        {
            if (!decompressor.ReadHeader(source, jpeg.Length, out var header))
            {
                throw new ImageFormatException("CorruptFile", $"The JPEG header cannot be read: {decompressor.Error}.");
            }

            if (header.Colorspace is not (ColorspaceGray or ColorspaceYCbCr or ColorspaceRgb))
            {
                return null;
            }

            Raster.RasterImageReader.RequireWithinLimit(header.Width, header.Height, maxDimension);
            var channels = header.Colorspace == ColorspaceGray ? 1 : 3;
            var decoded = ArrayPool<byte>.Shared.Rent(header.Width * header.Height * channels);
            try
            {
                if (!decompressor.DecompressPacked(source, jpeg.Length, decoded, header, channels == 1 ? PixelFormatGray : PixelFormatRgb))
                {
                    throw new ImageFormatException("CorruptFile", $"The JPEG file is damaged: {decompressor.Error}.");
                }

                // Every value is written below; pooled frames come back from the preprocessor in serving, as PNG frames do.
                var pixels = FramePool.Shared.Rent(header.Width * header.Height * channels);
                for (var i = 0; i < pixels.Length; i++)
                {
                    pixels[i] = decoded[i];
                }

                return new ScanImage(header.Width, header.Height, channels, pixels, channels == 1 ? ScanPhotometric.Monochrome2 : ScanPhotometric.Rgb, 0, 255, VoiSettings.None);
            }
            finally
            {
                ArrayPool<byte>.Shared.Return(decoded);
            }
        }
    }

    /// <summary>Decodes one DICOM frame into normalised bytes (samples interleaved as coded, chroma upsampled).</summary>
    public static byte[] Decode(ReadOnlySpan<byte> frame, DicomPixelData pixelData, DicomTransferSyntax transferSyntax)
    {
        ArgumentNullException.ThrowIfNull(pixelData);
        if (!Library.IsAvailable)
        {
            throw Library.Missing(transferSyntax);
        }

        using var decompressor = new Decompressor();
        fixed (byte* source = frame)
        {
            if (!decompressor.ReadHeader(source, frame.Length, out var header))
            {
                throw Damaged(decompressor);
            }

            var components = header.Colorspace == ColorspaceGray ? 1 : 3;
            if (header.Width != pixelData.Columns || header.Height != pixelData.Rows || components != pixelData.SamplesPerPixel || pixelData.BytesPerSample != 1)
            {
                throw new DicomFormatException(-1, $"the JPEG stream is {header.Width}x{header.Height} with {components} 8-bit component(s) but the dataset says {pixelData.Columns}x{pixelData.Rows} with {pixelData.SamplesPerPixel} of {pixelData.BitsAllocated} bits");
            }

            var output = new byte[pixelData.FrameLength];
            var decoded = header.Colorspace switch
            {
                ColorspaceGray => decompressor.DecompressPacked(source, frame.Length, output, header, PixelFormatGray),
                // Coded as RGB (Adobe transform 0 or R, G, B component ids): nothing to convert on the way out.
                ColorspaceRgb => decompressor.DecompressPacked(source, frame.Length, output, header, PixelFormatRgb),
                ColorspaceYCbCr => DecompressYCbCr(decompressor, source, frame.Length, output, header),
                _ => throw new DicomFormatException(-1, "the JPEG stream is CMYK or YCCK, which DICOM does not use"),
            };
            return decoded ? output : throw Damaged(decompressor);
        }
    }

    // Raw planes keep the samples as coded (tjDecompress2 would convert to RGB with its own upsampling).
    private static bool DecompressYCbCr(Decompressor decompressor, byte* source, int length, byte[] output, Header header)
    {
        var planeWidth = (delegate* unmanaged<int, int, int, int>)Library.Export("tjPlaneWidth");
        var planeHeight = (delegate* unmanaged<int, int, int, int>)Library.Export("tjPlaneHeight");
        var decompress = (delegate* unmanaged<IntPtr, byte*, nuint, byte**, int, int*, int, int, int>)Library.Export("tjDecompressToYUVPlanes");
        var (width, height) = (header.Width, header.Height);
        var widths = stackalloc int[3];
        var heights = stackalloc int[3];
        var planes = new byte[3][];
        try
        {
            for (var c = 0; c < 3; c++)
            {
                (widths[c], heights[c]) = (planeWidth(c, width, header.Subsampling), planeHeight(c, height, header.Subsampling));
                if (widths[c] <= 0 || heights[c] <= 0)
                {
                    throw new DicomFormatException(-1, $"the JPEG stream's chroma subsampling ({header.Subsampling}) is not one libjpeg-turbo can return as planes");
                }

                planes[c] = ArrayPool<byte>.Shared.Rent(widths[c] * heights[c]);
            }

            fixed (byte* y = planes[0], cb = planes[1], cr = planes[2])
            {
                var pointers = stackalloc byte*[3] { y, cb, cr };
                if (!decompressor.Succeeded(decompress(decompressor.Handle, source, (nuint)length, pointers, width, widths, height, Flags)))
                {
                    return false;
                }
            }

            // Replication: each chroma sample covers the block of luma samples it was taken from (factors 1, 2 or 4).
            var xShift = System.Numerics.BitOperations.Log2((uint)((width + widths[1] - 1) / widths[1]));
            var yShift = System.Numerics.BitOperations.Log2((uint)((height + heights[1] - 1) / heights[1]));
            for (var row = 0; row < height; row++)
            {
                var luma = planes[0].AsSpan(row * widths[0], width);
                var chroma = (row >> yShift) * widths[1];
                var blue = planes[1].AsSpan(chroma, widths[1]);
                var red = planes[2].AsSpan(chroma, widths[1]);
                var target = output.AsSpan(row * width * 3, width * 3);
                for (var column = 0; column < width; column++)
                {
                    target[column * 3] = luma[column];
                    target[(column * 3) + 1] = blue[column >> xShift];
                    target[(column * 3) + 2] = red[column >> xShift];
                }
            }

            return true;
        }
        finally
        {
            foreach (var plane in planes)
            {
                if (plane is not null)
                {
                    ArrayPool<byte>.Shared.Return(plane);
                }
            }
        }
    }

    private static DicomFormatException Damaged(Decompressor decompressor) =>
        new(-1, $"the JPEG frame cannot be decoded: {decompressor.Error}");

    private readonly record struct Header(int Width, int Height, int Subsampling, int Colorspace);

    /// <summary>One TurboJPEG decompressor handle; a handle is not thread-safe, so each decode takes its own.</summary>
    private readonly struct Decompressor : IDisposable
    {
        public Decompressor()
        {
            Handle = ((delegate* unmanaged<IntPtr>)Library.Export("tjInitDecompress"))();
            if (Handle == IntPtr.Zero)
            {
                throw new OutOfMemoryException("libjpeg-turbo could not create a decompressor.");
            }
        }

        public IntPtr Handle { get; }

        /// <summary>The last error's text.</summary>
        public string Error => Marshal.PtrToStringUTF8((IntPtr)((delegate* unmanaged<IntPtr, byte*>)Library.Export("tjGetErrorStr2"))(Handle)) ?? "unknown error";

        public bool ReadHeader(byte* source, int length, out Header header)
        {
            var readHeader = (delegate* unmanaged<IntPtr, byte*, nuint, int*, int*, int*, int*, int>)Library.Export("tjDecompressHeader3");
            int width, height, subsampling, colorspace;
            var status = readHeader(Handle, source, (nuint)length, &width, &height, &subsampling, &colorspace);
            header = new Header(width, height, subsampling, colorspace);
            return Succeeded(status);
        }

        /// <summary>Decodes into interleaved samples of <paramref name="pixelFormat"/> (gray, or RGB, converted from YCbCr with smooth upsampling).</summary>
        public bool DecompressPacked(byte* source, int length, byte[] output, Header header, int pixelFormat)
        {
            var decompress = (delegate* unmanaged<IntPtr, byte*, nuint, byte*, int, int, int, int, int, int>)Library.Export("tjDecompress2");
            fixed (byte* target = output)
            {
                return Succeeded(decompress(Handle, source, (nuint)length, target, header.Width, 0, header.Height, pixelFormat, Flags));
            }
        }

        /// <summary>
        /// True for success, and for the warnings after which every pixel was still decoded (stray bytes before a marker,
        /// an unknown JFIF revision), as djpeg and Pillow accept them; false for errors and for the warnings that mean
        /// lost image data (a truncated file, corrupt entropy-coded data), which libjpeg would fill in silently.
        /// </summary>
        public bool Succeeded(int status)
        {
            if (status == 0)
            {
                return true;
            }

            if (((delegate* unmanaged<IntPtr, int>)Library.Export("tjGetErrorCode"))(Handle) != ErrorCodeWarning)
            {
                return false;
            }

            var message = Error;
            var lostData = message.Contains("Premature end", StringComparison.OrdinalIgnoreCase)
                || message.Contains("progression", StringComparison.OrdinalIgnoreCase)
                || (message.StartsWith("Corrupt JPEG data", StringComparison.Ordinal) && !message.Contains("extraneous bytes", StringComparison.Ordinal));
            return !lostData;
        }

        public void Dispose() => ((delegate* unmanaged<IntPtr, int>)Library.Export("tjDestroy"))(Handle);
    }
}
