using System.CommandLine;
using GlcmMae.Trainer.Cli.Quickstart;

namespace GlcmMae.Trainer.Cli.Commands;

/// <summary><c>glcmmae quickstart</c>: the end-to-end demo on the embedded store.</summary>
internal static class QuickstartCommand
{
    public static Command Create()
    {
        var json = CommonOptions.Json();
        var threads = CommonOptions.Threads();
        var root = CommonOptions.StoreRoot();
        var withAzurite = new Option<bool>("--with-azurite") { Description = "Serve through a local Azurite (blob container scans, queue scan-events, models container): the one Storage:ConnectionString names, or one started here." };
        var quick = new Option<bool>("--quick") { Description = "Smoke run (CI, install checks): 48 images and a few training steps per stage, about half a minute; the classifier stays near chance." };
        var command = new Command("quickstart", Strings.QuickstartDescription) { json, threads, root, withAzurite, quick };
        command.SetAction(UserErrors.Handle((parseResult, cancellationToken) =>
        {
            var options = new QuickstartOptions(parseResult.GetValue(json), parseResult.GetValue(threads), parseResult.GetRequiredValue(root), parseResult.GetValue(withAzurite), parseResult.GetValue(quick));
            var runner = new QuickstartRunner(ConsoleOutput.Create(parseResult), parseResult.InvocationConfiguration.Output);
            return runner.RunAsync(options, cancellationToken);
        }));
        return command;
    }
}
