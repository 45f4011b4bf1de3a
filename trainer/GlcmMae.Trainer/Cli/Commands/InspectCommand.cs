using System.CommandLine;
using GlcmMae.Trainer.Imaging;

namespace GlcmMae.Trainer.Cli.Commands;

/// <summary><c>glcmmae inspect FILE</c>: metadata as JSON.</summary>
internal static class InspectCommand
{
    public static Command Create()
    {
        var file = new Argument<FileInfo>("file") { Description = Strings.InspectFileDescription }.AcceptExistingOnly();
        var showPhi = new Option<bool>("--show-phi") { Description = Strings.ShowPhiDescription };
        // inspect always prints one JSON document; --json is accepted so that every command takes it.
        var json = CommonOptions.Json();
        var command = new Command("inspect", Strings.InspectDescription) { file, showPhi, json };
        command.SetAction(UserErrors.Handle((parseResult, cancellationToken) =>
            ScanCommands.InspectAsync(
                new InspectOptions(parseResult.GetRequiredValue(file), parseResult.GetValue(showPhi)),
                parseResult.InvocationConfiguration.Output,
                parseResult.InvocationConfiguration.Error,
                cancellationToken)));
        return command;
    }
}
