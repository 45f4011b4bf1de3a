using System.Text;

namespace GlcmMae.Testing;

/// <summary>libjpeg-turbo's command-line tools as the tests' JPEG encoder (cjpeg) and reference decoder (djpeg); Debian package libjpeg-turbo-progs.</summary>
public static class LibjpegTools
{
    /// <summary>Encodes <paramref name="rows"/> x <paramref name="columns"/> samples of 1 (gray) or 3 (RGB) channels with cjpeg and <paramref name="options"/>; returns the JPEG file's bytes.</summary>
    public static async Task<byte[]> EncodeAsync(TempFolder folder, int rows, int columns, int channels, Func<int, int, int, byte> value, params string[] options)
    {
        ArgumentNullException.ThrowIfNull(folder);
        ArgumentNullException.ThrowIfNull(value);
        var source = folder.File(channels == 1 ? "cjpeg-source.pgm" : "cjpeg-source.ppm");
        var samples = Enumerable.Range(0, rows * columns * channels).Select(i => value(i / channels / columns, i / channels % columns, i % channels));
        await File.WriteAllBytesAsync(source, [.. Encoding.ASCII.GetBytes($"{(channels == 1 ? "P5" : "P6")}\n{columns} {rows}\n255\n"), .. samples]).ConfigureAwait(false);
        var jpeg = folder.File("cjpeg-output.jpg");
        await ExternalTool.RunAsync("cjpeg", [.. options, "-outfile", jpeg, source]).ConfigureAwait(false);
        return await File.ReadAllBytesAsync(jpeg).ConfigureAwait(false);
    }

    /// <summary>The samples djpeg decodes from <paramref name="jpeg"/> with its defaults (interleaved, as in a binary PNM).</summary>
    public static async Task<byte[]> DecodeAsync(TempFolder folder, byte[] jpeg)
    {
        ArgumentNullException.ThrowIfNull(folder);
        var input = folder.File("djpeg-input.jpg");
        var output = folder.File("djpeg-output.pnm");
        await File.WriteAllBytesAsync(input, jpeg).ConfigureAwait(false);
        await ExternalTool.RunAsync("djpeg", ["-pnm", "-outfile", output, input]).ConfigureAwait(false);
        return PnmSamples(await File.ReadAllBytesAsync(output).ConfigureAwait(false));
    }

    // Binary PNM: magic, width, height and maximum separated by whitespace, one whitespace byte, then the samples.
    private static byte[] PnmSamples(byte[] pnm)
    {
        var at = 0;
        for (var field = 0; field < 4; field++)
        {
            while (char.IsWhiteSpace((char)pnm[at]))
            {
                at++;
            }

            while (!char.IsWhiteSpace((char)pnm[at]))
            {
                at++;
            }
        }

        return pnm[(at + 1)..];
    }
}
