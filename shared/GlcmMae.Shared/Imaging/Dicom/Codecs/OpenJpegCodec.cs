using System.Runtime.InteropServices;

namespace GlcmMae.Shared.Imaging.Dicom.Codecs;

/// <summary>JPEG 2000 and HTJ2K frames, decoded by the system's OpenJPEG 2.5 (libopenjp2-7) through its C API, loaded at run time.</summary>
/// <remarks>
/// OpenJPEG undoes the JPEG 2000 multi-component transform itself, so YBR_ICT/YBR_RCT frames come out as RGB. The
/// codestream's SIZ header is checked against the dataset before OpenJPEG sees the frame: a damaged header that claims
/// a larger image or millions of tiles would otherwise be allocated and decoded in full first. A frame can decode at a
/// reduced resolution (<see cref="DicomPixelData.ReducedFor"/>).
/// </remarks>
public static unsafe class OpenJpegCodec
{
    private const int CodecJ2K = 0;
    private const int CodecJp2 = 2;

    // Larger than opj_dparameters_t in every 2.x release (about 8.3 KB); OpenJPEG fills in the defaults.
    private const int DecoderParametersSize = 16384;

    private static readonly NativeCodecLibrary Library = new("OpenJPEG library", "libopenjp2-7", "libopenjp2.so.7", "openjp2", "libopenjp2.so");

    /// <summary>True when libopenjp2 could be loaded.</summary>
    public static bool IsAvailable => Library.IsAvailable;

    /// <summary>Decodes one JPEG 2000 frame into normalised bytes (little endian, samples interleaved).</summary>
    /// <param name="frame">The frame's codestream.</param>
    /// <param name="pixelData">The dataset's Image Pixel module, which the codestream must match.</param>
    /// <param name="transferSyntax">The file's transfer syntax, for messages.</param>
    /// <param name="threads">Threads OpenJPEG may use for this frame (code-blocks decode in parallel); 1 decodes on the caller's thread.</param>
    public static byte[] Decode(ReadOnlySpan<byte> frame, DicomPixelData pixelData, DicomTransferSyntax transferSyntax, int threads = 1)
    {
        ArgumentNullException.ThrowIfNull(pixelData);
        if (!Library.IsAvailable)
        {
            throw Library.Missing(transferSyntax);
        }

        Jpeg2000Header.Read(frame).RequireMatches(pixelData);

        var isJp2 = Jpeg2000Header.IsJp2(frame);
        var createDecompress = (delegate* unmanaged<int, IntPtr>)Library.Export("opj_create_decompress");
        var setDefaults = (delegate* unmanaged<byte*, void>)Library.Export("opj_set_default_decoder_parameters");
        var setupDecoder = (delegate* unmanaged<IntPtr, byte*, int>)Library.Export("opj_setup_decoder");
        var streamCreate = (delegate* unmanaged<nuint, int, IntPtr>)Library.Export("opj_stream_create");
        var setRead = (delegate* unmanaged<IntPtr, delegate* unmanaged<byte*, nuint, StreamState*, nuint>, void>)Library.Export("opj_stream_set_read_function");
        var setSkip = (delegate* unmanaged<IntPtr, delegate* unmanaged<long, StreamState*, long>, void>)Library.Export("opj_stream_set_skip_function");
        var setSeek = (delegate* unmanaged<IntPtr, delegate* unmanaged<long, StreamState*, int>, void>)Library.Export("opj_stream_set_seek_function");
        var setUserData = (delegate* unmanaged<IntPtr, StreamState*, IntPtr, void>)Library.Export("opj_stream_set_user_data");
        var setLength = (delegate* unmanaged<IntPtr, ulong, void>)Library.Export("opj_stream_set_user_data_length");
        var readHeader = (delegate* unmanaged<IntPtr, IntPtr, Image**, int>)Library.Export("opj_read_header");
        var decode = (delegate* unmanaged<IntPtr, IntPtr, Image*, int>)Library.Export("opj_decode");
        var endDecompress = (delegate* unmanaged<IntPtr, IntPtr, int>)Library.Export("opj_end_decompress");
        var streamDestroy = (delegate* unmanaged<IntPtr, void>)Library.Export("opj_stream_destroy");
        var destroyCodec = (delegate* unmanaged<IntPtr, void>)Library.Export("opj_destroy_codec");
        var imageDestroy = (delegate* unmanaged<Image*, void>)Library.Export("opj_image_destroy");
        var setThreads = (delegate* unmanaged<IntPtr, int, int>)Library.Export("opj_codec_set_threads");

        var codec = createDecompress(isJp2 ? CodecJp2 : CodecJ2K);
        var stream = IntPtr.Zero;
        Image* image = null;
        try
        {
            var parameters = stackalloc byte[DecoderParametersSize];
            new Span<byte>(parameters, DecoderParametersSize).Clear();
            setDefaults(parameters);

            // cp_reduce, the first field of opj_dparameters_t: resolution levels to leave out (DicomPixelData.ReducedFor
            // chose them from the codestream's decomposition levels; the module's Rows and Columns are the reduced size).
            *(uint*)parameters = (uint)pixelData.ResolutionReduction;
            if (codec == IntPtr.Zero || setupDecoder(codec, parameters) == 0)
            {
                throw new DicomFormatException(-1, "OpenJPEG could not set up a decoder");
            }

            // Fails only where OpenJPEG was built without thread support; the frame then decodes on one thread.
            if (threads > 1)
            {
                _ = setThreads(codec, threads);
            }

            fixed (byte* data = frame)
            {
                var state = new StreamState { Data = data, Length = frame.Length, Position = 0 };
                stream = streamCreate(1 << 16, 1);
                setRead(stream, &Read);
                setSkip(stream, &Skip);
                setSeek(stream, &Seek);
                setUserData(stream, &state, IntPtr.Zero);
                setLength(stream, (ulong)frame.Length);
                if (readHeader(stream, codec, &image) == 0 || decode(codec, stream, image) == 0 || endDecompress(codec, stream) == 0)
                {
                    throw new DicomFormatException(-1, "OpenJPEG could not decode the JPEG 2000 frame (damaged or truncated codestream)");
                }
            }

            return Interleave(image, pixelData);
        }
        finally
        {
            if (image is not null)
            {
                imageDestroy(image);
            }

            if (stream != IntPtr.Zero)
            {
                streamDestroy(stream);
            }

            if (codec != IntPtr.Zero)
            {
                destroyCodec(codec);
            }
        }
    }

    private static byte[] Interleave(Image* image, DicomPixelData pixelData)
    {
        if (image->NumberOfComponents < (uint)pixelData.SamplesPerPixel)
        {
            throw new DicomFormatException(-1, $"the JPEG 2000 frame has {image->NumberOfComponents} component(s) but the dataset says {pixelData.SamplesPerPixel}");
        }

        var width = pixelData.Columns;
        var height = pixelData.Rows;
        var samples = pixelData.SamplesPerPixel;
        var bytesPerSample = pixelData.BytesPerSample;
        var output = new byte[pixelData.FrameLength];
        for (var c = 0; c < samples; c++)
        {
            var component = image->Components[c];
            if (component.Width != (uint)width || component.Height != (uint)height || component.Data == null)
            {
                throw new DicomFormatException(-1, $"JPEG 2000 component {c} is {component.Width}x{component.Height}; the dataset says {width}x{height}");
            }

            for (var p = 0; p < width * height; p++)
            {
                var value = component.Data[p];
                var at = ((p * samples) + c) * bytesPerSample;
                output[at] = (byte)value;
                if (bytesPerSample >= 2)
                {
                    output[at + 1] = (byte)(value >> 8);
                }

                if (bytesPerSample == 4)
                {
                    output[at + 2] = (byte)(value >> 16);
                    output[at + 3] = (byte)(value >> 24);
                }
            }
        }

        return output;
    }

    [UnmanagedCallersOnly]
    private static nuint Read(byte* buffer, nuint count, StreamState* state)
    {
        var remaining = state->Length - state->Position;
        if (remaining <= 0)
        {
            return unchecked((nuint)(-1));
        }

        var n = (int)Math.Min((long)count, remaining);
        Buffer.MemoryCopy(state->Data + state->Position, buffer, (long)count, n);
        state->Position += n;
        return (nuint)n;
    }

    [UnmanagedCallersOnly]
    private static long Skip(long count, StreamState* state)
    {
        var target = Math.Clamp(state->Position + count, 0, state->Length);
        var skipped = target - state->Position;
        state->Position = target;
        return skipped;
    }

    [UnmanagedCallersOnly]
    private static int Seek(long position, StreamState* state)
    {
        if (position < 0 || position > state->Length)
        {
            return 0;
        }

        state->Position = position;
        return 1;
    }

    private struct StreamState
    {
        public byte* Data;
        public long Length;
        public long Position;
    }

    [StructLayout(LayoutKind.Sequential)]
    private struct Image
    {
        public uint X0;
        public uint Y0;
        public uint X1;
        public uint Y1;
        public uint NumberOfComponents;
        public int ColorSpace;
        public ImageComponent* Components;
        public byte* IccProfile;
        public uint IccProfileLength;
    }

    [StructLayout(LayoutKind.Sequential)]
    private struct ImageComponent
    {
        public uint Dx;
        public uint Dy;
        public uint Width;
        public uint Height;
        public uint X0;
        public uint Y0;
        public uint Precision;
        public uint BitsPerPixel;
        public uint Signed;
        public uint ResolutionsDecoded;
        public uint Factor;
        public int* Data;
        public ushort Alpha;
    }
}
