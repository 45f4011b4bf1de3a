using System.Buffers;
using System.Buffers.Binary;
using System.Runtime.InteropServices;

namespace GlcmMae.Shared.Imaging.Dicom.Codecs;

/// <summary>8-bit DCT JPEG (DICOM frames and JPEG files: baseline, extended, progressive), decoded by the system's libjpeg-turbo (libturbojpeg0) through its TurboJPEG C API.</summary>
/// <remarks>
/// Ultrasound archives are mostly JPEG baseline; the managed decoder took 11 ms for an 800x600 frame, libjpeg-turbo a
/// fraction of that. Samples come out as coded, without a colour transform (PS3.5 8.2.1: the photometric interpretation
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

    // Accurate integer IDCT (the IJG reference's) and no silent recovery from damaged streams: a warning fails the frame.
    private const int Flags = 4096 | 8192;

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
            throw new ImageFormatException("UnsupportedFormat", $"JPEG files are decoded by the system's {Library.Description}, which is not installed: install the package {Library.Package} on Debian, {Library.UbuntuPackage} on Ubuntu.");
        }

        var init = (delegate* unmanaged<IntPtr>)Library.Export("tjInitDecompress");
        var destroy = (delegate* unmanaged<IntPtr, int>)Library.Export("tjDestroy");
        var readHeader = (delegate* unmanaged<IntPtr, byte*, nuint, int*, int*, int*, int*, int>)Library.Export("tjDecompressHeader3");
        var handle = init();
        if (handle == IntPtr.Zero)
        {
            throw new OutOfMemoryException("libjpeg-turbo could not create a decompressor.");
        }

        try
        {
            fixed (byte* source = jpeg)
            {
                int width, height, subsampling, colorspace;
                if (readHeader(handle, source, (nuint)jpeg.Length, &width, &height, &subsampling, &colorspace) != 0)
                {
                    throw new ImageFormatException("CorruptFile", $"The JPEG header cannot be read: {ErrorText(handle)}.");
                }

                if (colorspace is not (ColorspaceGray or ColorspaceYCbCr or ColorspaceRgb))
                {
                    return null;
                }

                Raster.RasterImageReader.RequireWithinLimit(width, height, maxDimension);
                var channels = colorspace == ColorspaceGray ? 1 : 3;
                var decoded = ArrayPool<byte>.Shared.Rent(width * height * channels);
                try
                {
                    var decompress = (delegate* unmanaged<IntPtr, byte*, nuint, byte*, int, int, int, int, int, int>)Library.Export("tjDecompress2");
                    fixed (byte* target = decoded)
                    {
                        if (decompress(handle, source, (nuint)jpeg.Length, target, width, 0, height, channels == 1 ? PixelFormatGray : PixelFormatRgb, Flags) != 0)
                        {
                            throw new ImageFormatException("CorruptFile", $"The JPEG file is damaged: {ErrorText(handle)}.");
                        }
                    }

                    var pixels = new float[width * height * channels];
                    for (var i = 0; i < pixels.Length; i++)
                    {
                        pixels[i] = decoded[i];
                    }

                    return new ScanImage(width, height, channels, pixels, channels == 1 ? ScanPhotometric.Monochrome2 : ScanPhotometric.Rgb, 0, 255, VoiSettings.None);
                }
                finally
                {
                    ArrayPool<byte>.Shared.Return(decoded);
                }
            }
        }
        finally
        {
            destroy(handle);
        }
    }

    /// <summary>Decodes one frame into normalised bytes (samples interleaved as coded, chroma upsampled).</summary>
    public static byte[] Decode(ReadOnlySpan<byte> frame, DicomPixelData pixelData, DicomTransferSyntax transferSyntax)
    {
        ArgumentNullException.ThrowIfNull(pixelData);
        if (!Library.IsAvailable)
        {
            throw Library.Missing(transferSyntax);
        }

        var init = (delegate* unmanaged<IntPtr>)Library.Export("tjInitDecompress");
        var destroy = (delegate* unmanaged<IntPtr, int>)Library.Export("tjDestroy");
        var readHeader = (delegate* unmanaged<IntPtr, byte*, nuint, int*, int*, int*, int*, int>)Library.Export("tjDecompressHeader3");
        var handle = init();
        if (handle == IntPtr.Zero)
        {
            throw new OutOfMemoryException("libjpeg-turbo could not create a decompressor.");
        }

        try
        {
            fixed (byte* source = frame)
            {
                int width, height, subsampling, colorspace;
                Check(handle, readHeader(handle, source, (nuint)frame.Length, &width, &height, &subsampling, &colorspace));
                var components = colorspace == ColorspaceGray ? 1 : 3;
                if (width != pixelData.Columns || height != pixelData.Rows || components != pixelData.SamplesPerPixel || pixelData.BytesPerSample != 1)
                {
                    throw new DicomFormatException(-1, $"the JPEG stream is {width}x{height} with {components} 8-bit component(s) but the dataset says {pixelData.Columns}x{pixelData.Rows} with {pixelData.SamplesPerPixel} of {pixelData.BitsAllocated} bits");
                }

                var output = new byte[pixelData.FrameLength];
                switch (colorspace)
                {
                    case ColorspaceGray:
                        DecodePacked(handle, source, frame.Length, output, width, height, PixelFormatGray);
                        break;
                    case ColorspaceRgb:
                        // Coded as RGB (Adobe transform 0 or R, G, B component ids): nothing to convert on the way out.
                        DecodePacked(handle, source, frame.Length, output, width, height, PixelFormatRgb);
                        break;
                    case ColorspaceYCbCr:
                        DecodeYCbCr(handle, source, frame.Length, output, width, height, subsampling);
                        break;
                    default:
                        throw new DicomFormatException(-1, "the JPEG stream is CMYK or YCCK, which DICOM does not use");
                }

                return output;
            }
        }
        finally
        {
            destroy(handle);
        }
    }

    private static void DecodePacked(IntPtr handle, byte* source, int length, byte[] output, int width, int height, int pixelFormat)
    {
        var decompress = (delegate* unmanaged<IntPtr, byte*, nuint, byte*, int, int, int, int, int, int>)Library.Export("tjDecompress2");
        fixed (byte* target = output)
        {
            Check(handle, decompress(handle, source, (nuint)length, target, width, 0, height, pixelFormat, Flags));
        }
    }

    // Raw planes keep the samples as coded (tjDecompress2 would convert to RGB with its own upsampling).
    private static void DecodeYCbCr(IntPtr handle, byte* source, int length, byte[] output, int width, int height, int subsampling)
    {
        var planeWidth = (delegate* unmanaged<int, int, int, int>)Library.Export("tjPlaneWidth");
        var planeHeight = (delegate* unmanaged<int, int, int, int>)Library.Export("tjPlaneHeight");
        var decompress = (delegate* unmanaged<IntPtr, byte*, nuint, byte**, int, int*, int, int, int>)Library.Export("tjDecompressToYUVPlanes");
        var widths = stackalloc int[3];
        var heights = stackalloc int[3];
        var planes = new byte[3][];
        try
        {
            for (var c = 0; c < 3; c++)
            {
                (widths[c], heights[c]) = (planeWidth(c, width, subsampling), planeHeight(c, height, subsampling));
                if (widths[c] <= 0 || heights[c] <= 0)
                {
                    throw new DicomFormatException(-1, $"the JPEG stream's chroma subsampling ({subsampling}) is not one libjpeg-turbo can return as planes");
                }

                planes[c] = ArrayPool<byte>.Shared.Rent(widths[c] * heights[c]);
            }

            fixed (byte* y = planes[0], cb = planes[1], cr = planes[2])
            {
                var pointers = stackalloc byte*[3] { y, cb, cr };
                Check(handle, decompress(handle, source, (nuint)length, pointers, width, widths, height, Flags));
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

    private static void Check(IntPtr handle, int status)
    {
        if (status != 0)
        {
            throw new DicomFormatException(-1, $"the JPEG frame cannot be decoded: {ErrorText(handle)}");
        }
    }

    private static string ErrorText(IntPtr handle)
    {
        var error = (delegate* unmanaged<IntPtr, byte*>)Library.Export("tjGetErrorStr2");
        return Marshal.PtrToStringUTF8((IntPtr)error(handle)) ?? "unknown error";
    }
}
