using System.Runtime.InteropServices;
using System.Text.Json;
using GlcmMae.Shared.Diagnostics;
using GlcmMae.Shared.Imaging;
using GlcmMae.Shared.Preprocessing;

namespace GlcmMae.Trainer.Imaging;

/// <summary>The actions behind <c>inspect</c> and <c>render</c>.</summary>
internal static class ScanCommands
{
    public const int BadInputExitCode = 2;

    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    public static async Task<int> InspectAsync(InspectOptions options, TextWriter output, TextWriter error, CancellationToken cancellationToken)
    {
        var document = await OpenAsync(options.File, error, cancellationToken).ConfigureAwait(false);
        if (document is null)
        {
            return BadInputExitCode;
        }

        await output.WriteLineAsync(ScanInspection.Describe(document, options.ShowPhi).ToJsonString(Indented)).ConfigureAwait(false);
        return 0;
    }

    public static async Task<int> RenderAsync(RenderOptions options, TextWriter output, TextWriter error, CancellationToken cancellationToken)
    {
        var document = await OpenAsync(options.File, error, cancellationToken).ConfigureAwait(false);
        if (document is null)
        {
            return BadInputExitCode;
        }

        if (options.Frame < 0 || options.Frame >= document.Metadata.Frames)
        {
            await error.WriteLineAsync($"error: --frame {options.Frame} is out of range; the scan has {document.Metadata.Frames} frame(s) (0 to {document.Metadata.Frames - 1}).").ConfigureAwait(false);
            return BadInputExitCode;
        }

        ScanImage image;
        try
        {
            image = document.DecodeFrame(options.Frame);
        }
        catch (ImagingException ex)
        {
            await error.WriteLineAsync($"error: {ex.ErrorCode}: {ex.Message}").ConfigureAwait(false);
            return BadInputExitCode;
        }

        var spec = options switch
        {
            { NoWindow: true } => new PreprocessingSpec { Window = WindowMode.None },
            { Window: { } w } => new PreprocessingSpec { Window = WindowMode.Explicit, WindowCenter = w.Center, WindowWidth = w.Width },
            _ => PreprocessingSpec.Default,
        };
        var display = new Preprocessor(spec).ToUnitRange(image);
        options.Output.Directory?.Create();
        await DisplayPng.SaveAsync(display, image, options.Output.FullName, cancellationToken).ConfigureAwait(false);
        if (options.Raw is { } raw)
        {
            raw.Directory?.Create();
            await File.WriteAllBytesAsync(raw.FullName, MemoryMarshal.AsBytes(image.Pixels.AsSpan()).ToArray(), cancellationToken).ConfigureAwait(false);
        }

        if (options.Json)
        {
            var written = new System.Text.Json.Nodes.JsonObject
            {
                ["output"] = options.Output.FullName,
                ["width"] = image.Width,
                ["height"] = image.Height,
                ["channels"] = image.Channels,
                ["frame"] = options.Frame,
                ["raw"] = options.Raw?.FullName,
            };
            await output.WriteLineAsync(written.ToJsonString(Indented)).ConfigureAwait(false);
            return 0;
        }

        await output.WriteLineAsync($"wrote {options.Output.FullName} ({image.Width}x{image.Height}, {image.Channels} channel(s), frame {options.Frame})").ConfigureAwait(false);
        if (options.Raw is { } rawFile)
        {
            await output.WriteLineAsync($"wrote {rawFile.FullName} (float32 little endian, {image.Height} x {image.Width} x {image.Channels})").ConfigureAwait(false);
        }

        return 0;
    }

    private static async Task<ScanDocument?> OpenAsync(FileInfo file, TextWriter error, CancellationToken cancellationToken)
    {
        using var activity = GlcmMaeTelemetry.ActivitySource.StartActivity("scan.open");
        try
        {
            var stream = file.OpenRead();
            await using (stream.ConfigureAwait(false))
            {
                return await ScanDocument.OpenAsync(stream, cancellationToken: cancellationToken).ConfigureAwait(false);
            }
        }
        catch (ImagingException ex)
        {
            await error.WriteLineAsync($"error: {ex.ErrorCode}: {ex.Message}").ConfigureAwait(false);
            return null;
        }
    }
}
