using System.CommandLine;
using System.CommandLine.Help;
using System.CommandLine.Invocation;

namespace GlcmMae.Trainer.Cli;

/// <summary>
/// <c>glcmmae &lt;command&gt; --help</c> ends with examples for the main commands: the help System.CommandLine writes,
/// then the invocations a user most often needs, each runnable as shown.
/// </summary>
internal sealed class HelpExamples(SynchronousCommandLineAction help) : SynchronousCommandLineAction
{
    /// <summary>Examples by command path (the words after <c>glcmmae</c>).</summary>
    internal static IReadOnlyDictionary<string, string[]> Examples { get; } = new Dictionary<string, string[]>(StringComparer.Ordinal)
    {
        ["quickstart"] = ["glcmmae quickstart", "glcmmae quickstart --quick --json > quickstart.json", "glcmmae quickstart --with-azurite"],
        ["synth"] = ["glcmmae synth -o data/synth --count 300 --size 256 --format png", "glcmmae synth -o data/us --count 30 --format dicom-us"],
        ["inspect"] = ["glcmmae inspect scan.dcm", "glcmmae inspect scan.dcm --show-phi"],
        ["render"] = ["glcmmae render scan.dcm -o scan.png --window 40,400"],
        ["pretrain"] =
        [
            "glcmmae pretrain --data scans/ --stage mse --epochs 200",
            "glcmmae pretrain --data scans/ --stage glcm --resume .glcmmae/runs/pretrain-mse --epochs 200 --batch 8 --lr 1.875e-5",
        ],
        ["finetune"] =
        [
            "glcmmae finetune --data labelled/ --checkpoint .glcmmae/runs/pretrain-glcm --positive malignant",
            "glcmmae finetune --data labelled/ --checkpoint .glcmmae/runs/pretrain-glcm --mode linear-probe --folds 5",
        ],
        ["evaluate"] = ["glcmmae evaluate --model .glcmmae/runs/finetune --positive malignant", "glcmmae evaluate --model .glcmmae/runs/finetune --data other-site/ --json"],
        ["export"] = ["glcmmae export --model .glcmmae/runs/finetune"],
        ["publish"] = ["glcmmae publish --model .glcmmae/runs/finetune --name gallbladder", "GLCMMAE_Storage__ConnectionString=UseDevelopmentStorage=true glcmmae publish --model .glcmmae/runs/finetune --store azure"],
        ["models"] = ["glcmmae models list", "glcmmae models history gallbladder", "glcmmae models rollback gallbladder"],
        ["classify"] = ["glcmmae classify scan.dcm scan.png --name gallbladder", "glcmmae classify scan.dcm --name gallbladder --explain --json | jq ."],
        ["serve"] = ["glcmmae serve --name gallbladder --scans incoming/", "glcmmae serve --name gallbladder --queue --topic servicebus", "glcmmae serve --name gallbladder --once --json | jq ."],
        ["upload"] = ["glcmmae upload scans/ --prefix study-0001 --announce"],
        ["deid"] = ["glcmmae deid exports/ deidentified/", "glcmmae deid az://raw/site-a az://training/site-a --uid-key \"$KEY\" --refused-list refused.txt"],
        ["pseudonym"] = ["GLCMMAE_Privacy__Key=\"$KEY\" glcmmae pseudonym 1.2.840.113619.2.55.3"],
        ["retrain"] = ["glcmmae retrain --data labelled/ --name gallbladder", "glcmmae retrain --data az://training/dataset --name gallbladder --store azure --from-champion"],
        ["bench"] = ["glcmmae bench decode --files /archive/export/", "glcmmae bench ssl --output .glcmmae/bench-ssl --seeds 3", "glcmmae bench fuzz --inputs 20000 --json"],
        ["bench decode"] = ["glcmmae bench decode", "glcmmae bench decode --files /archive/export/ --decode-resolution reduced --json"],
        ["bench ssl"] = ["glcmmae bench ssl --family texture --seeds 3 --per-class 150", "glcmmae bench ssl --data labelled/ --seeds 3 --labelled 0.05,0.2", "glcmmae bench ssl --family texture --bins 16 --glcm-normalise pixels"],
        ["bench fuzz"] = ["glcmmae bench fuzz --inputs 20000 --json", "glcmmae bench fuzz --seed-files my-scans/ --inputs 200000"],
        ["bench glcm-noise"] = ["glcmmae bench glcm-noise", "glcmmae bench glcm-noise --bins 256,32,16 --patch-size 16 --pairs 1000 --json"],
    };

    /// <summary>Makes every command's <c>--help</c> print its examples after the usual help.</summary>
    public static void Attach(RootCommand root)
    {
        foreach (var option in root.Options)
        {
            if (option is HelpOption { Action: SynchronousCommandLineAction inner } helpOption)
            {
                helpOption.Action = new HelpExamples(inner);
            }
        }
    }

    /// <inheritdoc />
    public override int Invoke(ParseResult parseResult)
    {
        ArgumentNullException.ThrowIfNull(parseResult);
        var exitCode = help.Invoke(parseResult);
        var path = PathOf(parseResult.CommandResult.Command);
        if (Examples.TryGetValue(path, out var examples) || Examples.TryGetValue(path.Split(' ')[0], out examples))
        {
            var output = parseResult.InvocationConfiguration.Output;
            output.WriteLine("Examples:");
            foreach (var example in examples)
            {
                output.WriteLine("  " + example);
            }

            output.WriteLine();
        }

        return exitCode;
    }

    /// <summary>The command's words below the root: "models", "bench decode" (a sub-command without examples of its own shows its parent's).</summary>
    private static string PathOf(Command command)
    {
        var words = new List<string>();
        for (Command? current = command; current is not null and not RootCommand; current = current.Parents.OfType<Command>().FirstOrDefault())
        {
            words.Insert(0, current.Name);
        }

        return string.Join(' ', words);
    }
}
