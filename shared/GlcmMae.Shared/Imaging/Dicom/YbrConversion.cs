namespace GlcmMae.Shared.Imaging.Dicom;

/// <summary>YCbCr handling for YBR_FULL and YBR_FULL_422 (PS3.3 C.7.6.3.1.2).</summary>
internal static class YbrConversion
{
    /// <summary>Expands native 8-bit YBR_FULL_422 (Y1 Y2 Cb Cr per pixel pair) to interleaved Y Cb Cr per pixel.</summary>
    public static void Expand422(ReadOnlySpan<byte> stored, Span<byte> output, int rows, int columns)
    {
        if (columns % 2 != 0)
        {
            throw new DicomFormatException(-1, $"YBR_FULL_422 needs an even number of columns, not {columns}");
        }

        var pairs = rows * columns / 2;
        for (var p = 0; p < pairs; p++)
        {
            var source = stored.Slice(p * 4, 4);
            var target = output.Slice(p * 6, 6);
            target[0] = source[0];
            target[1] = source[2];
            target[2] = source[3];
            target[3] = source[1];
            target[4] = source[2];
            target[5] = source[3];
        }
    }

    /// <summary>Converts one full-range YCbCr sample to RGB, clamped to [0, max] (ITU-R BT.601 full range, as DICOM defines).</summary>
    public static (float R, float G, float B) ToRgb(float y, float cb, float cr, float max)
    {
        var half = (max + 1) / 2f;
        var r = y + (1.402f * (cr - half));
        var g = y - (0.344136f * (cb - half)) - (0.714136f * (cr - half));
        var b = y + (1.772f * (cb - half));
        return (Math.Clamp(r, 0, max), Math.Clamp(g, 0, max), Math.Clamp(b, 0, max));
    }
}
