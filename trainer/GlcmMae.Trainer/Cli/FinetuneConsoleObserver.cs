using System.Globalization;
using GlcmMae.Trainer.Evaluation;
using GlcmMae.Trainer.Finetuning;
using Spectre.Console;

namespace GlcmMae.Trainer.Cli;

/// <summary>Prints one line per fine-tuning epoch (a star marks a newly selected model).</summary>
internal sealed class FinetuneConsoleObserver(IAnsiConsole console, bool quiet) : IFinetuneObserver
{
    public void Message(string text)
    {
        if (!quiet)
        {
            console.MarkupLine(Markup.Escape(text));
        }
    }

    public void EpochCompleted(int fold, FinetuneEpoch epoch, int epochs)
    {
        if (quiet)
        {
            return;
        }

        var prefix = fold > 0 || epochs < 0 ? $"fold {fold + 1} " : string.Empty;
        console.MarkupLine(Markup.Escape(string.Create(
            CultureInfo.InvariantCulture,
            $"{prefix}epoch {epoch.Epoch}/{epochs}  lr {epoch.LearningRate:G3}  train loss {epoch.TrainLoss:F3} acc {epoch.TrainAccuracy:F3}  val loss {epoch.ValidationLoss:F3} acc {epoch.ValidationAccuracy:F3} balanced {epoch.ValidationBalancedAccuracy:F3}  {epoch.Seconds:F1}s{(epoch.Selected ? "  *" : string.Empty)}")));
    }
}
