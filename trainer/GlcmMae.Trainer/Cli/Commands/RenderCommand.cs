using System.CommandLine;
using System.Globalization;
using GlcmMae.Trainer.Imaging;

namespace GlcmMae.Trainer.Cli.Commands;

/// <summary><c>glcmmae render FILE -o OUT.png</c>: the displayed image and optionally the raw values.</summary>
internal static class RenderCommand
{
    public static Command Create()
    {
        var file = new Argument<FileInfo>("file") { Description = Strings.RenderFileDescription }.AcceptExistingOnly();
        var output = new Option<FileInfo>("--output", "-o") { Description = Strings.RenderOutputDescription, Required = true };
        var frame = new Option<int>("--frame") { Description = Strings.FrameDescription, DefaultValueFactory = _ => 0 };
        var window = new Option<(double Center, double Width)?>("--window")
        {
            Description = Strings.WindowDescription,
            CustomParser = ParseWindow,
        };
        var noWindow = new Option<bool>("--no-window") { Description = Strings.NoWindowDescription };
        var raw = new Option<FileInfo?>("--raw") { Description = Strings.RawDescription };
        var json = CommonOptions.Json();
        var command = new Command("render", Strings.RenderDescription) { file, output, frame, window, noWindow, raw, json };
        command.Validators.Add(result =>
        {
            if (result.GetResult(window) is not null && result.GetValue(noWindow))
            {
                result.AddError("--window and --no-window cannot be used together.");
            }
        });
        command.SetAction(UserErrors.Handle((parseResult, cancellationToken) =>
            ScanCommands.RenderAsync(
                new RenderOptions(
                    parseResult.GetRequiredValue(file),
                    parseResult.GetRequiredValue(output),
                    parseResult.GetValue(frame),
                    parseResult.GetValue(window),
                    parseResult.GetValue(noWindow),
                    parseResult.GetValue(raw),
                    parseResult.GetValue(json)),
                parseResult.InvocationConfiguration.Output,
                parseResult.InvocationConfiguration.Error,
                cancellationToken)));
        return command;
    }

    private static (double Center, double Width)? ParseWindow(System.CommandLine.Parsing.ArgumentResult result)
    {
        var text = result.Tokens.Count == 1 ? result.Tokens[0].Value : string.Empty;
        var parts = text.Split(',');
        if (parts.Length == 2
            && double.TryParse(parts[0], NumberStyles.Float, CultureInfo.InvariantCulture, out var center)
            && double.TryParse(parts[1], NumberStyles.Float, CultureInfo.InvariantCulture, out var width)
            && width >= 1)
        {
            return (center, width);
        }

        result.AddError($"--window expects CENTER,WIDTH with WIDTH >= 1 (e.g. 40,400), not '{text}'.");
        return null;
    }
}
