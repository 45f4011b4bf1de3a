using GlcmMae.Trainer.Data;
using GlcmMae.Trainer.Evaluation;
using TorchSharp;
using static TorchSharp.torch;

namespace GlcmMae.Trainer.Finetuning;

/// <summary>Runs a classifier over in-memory samples without augmentation and collects probabilities.</summary>
internal static class ClassifierPredictor
{
    /// <summary>Probabilities for the chosen samples, and the mean cross-entropy (no smoothing) of the true labels.</summary>
    public static (Predictions Predictions, double Loss) Predict(
        nn.Module<Tensor, Tensor> model, IReadOnlyList<string> labels, IReadOnlyList<ImageSample> samples, int[] indices, int channels, int size, int batch, Device device)
    {
        ArgumentNullException.ThrowIfNull(model);
        var probabilities = new double[indices.Length][];
        double loss = 0;
        var values = channels * size * size;
        model.eval();
        using (torch.no_grad())
        {
            for (var start = 0; start < indices.Length; start += batch)
            {
                using var scope = torch.NewDisposeScope();
                var count = Math.Min(batch, indices.Length - start);
                var data = new float[count * values];
                var targets = new long[count];
                for (var i = 0; i < count; i++)
                {
                    var sample = samples[indices[start + i]];
                    sample.Data.CopyTo(data, i * values);
                    targets[i] = sample.Label;
                }

                var logits = model.forward(torch.tensor(data, [count, channels, size, size]).to(device));
                loss += torch.nn.functional.cross_entropy(logits, torch.tensor(targets).to(device), reduction: nn.Reduction.Sum).cpu().item<float>();
                var p = torch.nn.functional.softmax(logits.to_type(ScalarType.Float64), 1).cpu().data<double>().ToArray();
                for (var i = 0; i < count; i++)
                {
                    probabilities[start + i] = p.AsSpan(i * labels.Count, labels.Count).ToArray();
                }
            }
        }

        var truth = indices.Select(i => samples[i].Label).ToArray();
        var sources = indices.Select(i => samples[i].Source).ToArray();
        return (new Predictions(labels, truth, probabilities, sources), indices.Length == 0 ? double.NaN : loss / indices.Length);
    }
}
