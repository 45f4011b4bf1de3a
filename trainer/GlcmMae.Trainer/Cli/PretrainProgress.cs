using System.Globalization;
using GlcmMae.Trainer.Evaluation;
using GlcmMae.Trainer.Training;
using Spectre.Console;

namespace GlcmMae.Trainer.Cli;

/// <summary>Shows a pretraining run: a progress bar per epoch (loss terms, lr, images/s, ETA) on a terminal, plain lines otherwise.</summary>
internal sealed class PretrainProgress(IAnsiConsole console, ProgressContext? context, int logEvery) : IPretrainObserver
{
    private ProgressTask? _task;

    public void RunStarted(PretrainPlan plan)
    {
        console.MarkupLine(Markup.Escape(string.Create(
            CultureInfo.InvariantCulture,
            $"Pretraining {plan.Model} on {plan.Device}: {plan.Images} images ({plan.Skipped} skipped), batch {plan.BatchSize} x {plan.Accumulation}, {plan.StepsPerEpoch} steps/epoch, epochs {plan.FirstEpoch + 1}-{plan.Epochs}, peak lr {plan.PeakLearningRate:G3}, data range {plan.DataRange}, loss {plan.Loss}.")));
        if (plan.ResumedFrom is { } from)
        {
            console.MarkupLine(Markup.Escape($"Starting from checkpoint {from}."));
        }
    }

    public void EpochStarted(int epoch, int epochs, int steps)
    {
        if (context is not null)
        {
            _task = context.AddTask(Markup.Escape($"epoch {epoch + 1}/{epochs}"), maxValue: steps);
        }
    }

    public void StepCompleted(StepMetrics m)
    {
        var text = string.Create(CultureInfo.InvariantCulture, $"epoch {m.Epoch + 1} step {m.Step + 1} loss {m.Loss:F4}{Term("mse", m.Mse)}{Term("glcm", m.Glcm)}{Term("1-ssim", m.Ssim)}{Term("feat", m.Features)} lr {m.LearningRate:G3} {m.ImagesPerSecond:F0} img/s");
        if (_task is not null)
        {
            _task.Description = Markup.Escape(text);
            _task.Increment(1);
        }
        else if (m.Step % Math.Max(1, logEvery) == 0)
        {
            console.WriteLine(text);
        }
    }

    public void EpochCompleted(EpochMetrics m)
    {
        _task?.StopTask();
        console.MarkupLine(Markup.Escape(string.Create(CultureInfo.InvariantCulture, $"epoch {m.Epoch + 1}: mean loss {m.Loss:F4}{Term("mse", m.Mse)}{Term("glcm", m.Glcm)}{Term("1-ssim", m.Ssim)}{Term("feat", m.Features)} in {m.Seconds:F1} s; checkpoint {m.Checkpoint ?? "none"}")));
    }

    public void Message(string text) => console.MarkupLine(Markup.Escape(text));

    private static string Term(string name, double value) => double.IsNaN(value) ? string.Empty : string.Create(CultureInfo.InvariantCulture, $" {name} {value:F4}");
}
