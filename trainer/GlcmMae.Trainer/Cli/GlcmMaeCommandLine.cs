using System.CommandLine;
using GlcmMae.Trainer.Cli.Commands;

namespace GlcmMae.Trainer.Cli;

/// <summary>Composes the <c>glcmmae</c> root command from one factory per command.</summary>
internal static class GlcmMaeCommandLine
{
    public static RootCommand Create()
    {
        var root = new RootCommand(Strings.RootDescription);
        foreach (var option in root.Options)
        {
            if (option is VersionOption version)
            {
                version.Description = Strings.VersionDescription;
                version.Action = new VersionAction();
            }
        }

        root.Subcommands.Add(SynthCommand.Create());
        root.Subcommands.Add(InspectCommand.Create());
        root.Subcommands.Add(RenderCommand.Create());
        root.Subcommands.Add(PretrainCommand.Create());
        root.Subcommands.Add(FinetuneCommand.Create());
        root.Subcommands.Add(EvaluateCommand.Create());
        root.Subcommands.Add(ExportCommand.Create());
        root.Subcommands.Add(PublishCommand.Create());
        root.Subcommands.Add(ModelsCommand.Create());
        root.Subcommands.Add(ClassifyCommand.Create());
        root.Subcommands.Add(PseudonymCommand.Create());
        root.Subcommands.Add(DeidCommand.Create());
        root.Subcommands.Add(UploadCommand.Create());
        root.Subcommands.Add(ServeCommand.Create());
        root.Subcommands.Add(RetrainCommand.Create());
        root.Subcommands.Add(QuickstartCommand.Create());
        root.Subcommands.Add(BenchCommand.Create());
        HelpExamples.Attach(root);
        return root;
    }
}
