using GlcmMae.Shared.Imaging.Dicom.Codecs;

namespace GlcmMae.Shared.Imaging.Raster;

/// <summary>Whole-buffer zlib decompression by the system's libdeflate (libdeflate0), when it is installed.</summary>
/// <remarks>
/// A PNG's image data is one zlib stream of known length, which libdeflate decompresses in one call at two to three
/// times zlib's speed. The output is the same bytes whatever decompresses it, so libdeflate is optional: anything but a
/// complete, well-formed stream of exactly the expected length is left to the caller's zlib path, which keeps its own
/// tolerance and error messages.
/// </remarks>
internal static unsafe class LibdeflateZlib
{
    private const int Success = 0;

    private static readonly NativeCodecLibrary Library = new("libdeflate library", "libdeflate0", "libdeflate.so.0", "deflate", "libdeflate.so");

    /// <summary>True when libdeflate is installed.</summary>
    public static bool IsAvailable => Library.IsAvailable;

    /// <summary>True when <paramref name="zlib"/> decompressed to exactly <paramref name="target"/>'s length; false leaves the stream to another decompressor.</summary>
    public static bool TryDecompress(ReadOnlySpan<byte> zlib, Span<byte> target)
    {
        if (!IsAvailable)
        {
            return false;
        }

        var allocate = (delegate* unmanaged<IntPtr>)Library.Export("libdeflate_alloc_decompressor");
        var free = (delegate* unmanaged<IntPtr, void>)Library.Export("libdeflate_free_decompressor");
        var decompress = (delegate* unmanaged<IntPtr, byte*, nuint, byte*, nuint, nuint*, int>)Library.Export("libdeflate_zlib_decompress");
        var decompressor = allocate();
        if (decompressor == IntPtr.Zero)
        {
            return false;
        }

        try
        {
            fixed (byte* source = zlib)
            fixed (byte* destination = target)
            {
                nuint written;
                return decompress(decompressor, source, (nuint)zlib.Length, destination, (nuint)target.Length, &written) == Success && written == (nuint)target.Length;
            }
        }
        finally
        {
            free(decompressor);
        }
    }
}
