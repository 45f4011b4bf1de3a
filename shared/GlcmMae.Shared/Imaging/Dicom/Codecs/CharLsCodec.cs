using System.Runtime.InteropServices;

namespace GlcmMae.Shared.Imaging.Dicom.Codecs;

/// <summary>JPEG-LS frames, decoded by the system's CharLS 2.x (libcharls2) through its C API, loaded at run time.</summary>
public static unsafe class CharLsCodec
{
    private static readonly NativeCodecLibrary Library = new("CharLS JPEG-LS library", "libcharls2", "libcharls.so.2", "charls", "libcharls.so");

    /// <summary>True when libcharls could be loaded.</summary>
    public static bool IsAvailable => Library.IsAvailable;

    /// <summary>Decodes one JPEG-LS frame into normalised bytes (little endian, samples interleaved).</summary>
    public static byte[] Decode(ReadOnlySpan<byte> frame, DicomPixelData pixelData, DicomTransferSyntax transferSyntax)
    {
        ArgumentNullException.ThrowIfNull(pixelData);
        if (!Library.IsAvailable)
        {
            throw Library.Missing(transferSyntax);
        }

        var create = (delegate* unmanaged<IntPtr>)Library.Export("charls_jpegls_decoder_create");
        var destroy = (delegate* unmanaged<IntPtr, void>)Library.Export("charls_jpegls_decoder_destroy");
        var setSource = (delegate* unmanaged<IntPtr, byte*, nuint, int>)Library.Export("charls_jpegls_decoder_set_source_buffer");
        var readHeader = (delegate* unmanaged<IntPtr, int>)Library.Export("charls_jpegls_decoder_read_header");
        var getFrameInfo = (delegate* unmanaged<IntPtr, FrameInfo*, int>)Library.Export("charls_jpegls_decoder_get_frame_info");
        var getInterleave = (delegate* unmanaged<IntPtr, int*, int>)Library.Export("charls_jpegls_decoder_get_interleave_mode");
        var decode = (delegate* unmanaged<IntPtr, byte*, nuint, uint, int>)Library.Export("charls_jpegls_decoder_decode_to_buffer");

        var decoder = create();
        if (decoder == IntPtr.Zero)
        {
            throw new OutOfMemoryException("CharLS could not create a decoder.");
        }

        try
        {
            FrameInfo info;
            int interleave;
            fixed (byte* source = frame)
            {
                Check(setSource(decoder, source, (nuint)frame.Length), "set the source");
                Check(readHeader(decoder), "read the header");
                Check(getFrameInfo(decoder, &info), "read the frame info");
                Check(getInterleave(decoder, &interleave), "read the interleave mode");
                if (info.Width != pixelData.Columns || info.Height != pixelData.Rows || info.ComponentCount != pixelData.SamplesPerPixel)
                {
                    throw new DicomFormatException(-1, $"the JPEG-LS stream is {info.Width}x{info.Height} with {info.ComponentCount} component(s) but the dataset says {pixelData.Columns}x{pixelData.Rows} with {pixelData.SamplesPerPixel}");
                }

                var bytesPerSample = info.BitsPerSample > 8 ? 2 : 1;
                if (bytesPerSample != pixelData.BytesPerSample)
                {
                    throw new DicomFormatException(-1, $"the JPEG-LS stream has {info.BitsPerSample}-bit samples but BitsAllocated is {pixelData.BitsAllocated}");
                }

                var decoded = new byte[pixelData.FrameLength];
                fixed (byte* target = decoded)
                {
                    Check(decode(decoder, target, (nuint)decoded.Length, 0), "decode");
                }

                // Interleave mode none (0) returns one plane per component.
                return interleave == 0 && info.ComponentCount > 1
                    ? PlanarToInterleaved(decoded, (int)(info.Width * info.Height), info.ComponentCount, bytesPerSample)
                    : decoded;
            }
        }
        finally
        {
            destroy(decoder);
        }
    }

    internal static byte[] PlanarToInterleaved(byte[] planar, int pixels, int components, int bytesPerSample)
    {
        var interleaved = new byte[planar.Length];
        for (var c = 0; c < components; c++)
        {
            for (var p = 0; p < pixels; p++)
            {
                Buffer.BlockCopy(planar, ((c * pixels) + p) * bytesPerSample, interleaved, ((p * components) + c) * bytesPerSample, bytesPerSample);
            }
        }

        return interleaved;
    }

    private static void Check(int errorCode, string step)
    {
        if (errorCode != 0)
        {
            throw new DicomFormatException(-1, $"CharLS could not {step} of the JPEG-LS frame (charls error {errorCode})");
        }
    }

    [StructLayout(LayoutKind.Sequential)]
    private struct FrameInfo
    {
        public uint Width;
        public uint Height;
        public int BitsPerSample;
        public int ComponentCount;
    }
}
