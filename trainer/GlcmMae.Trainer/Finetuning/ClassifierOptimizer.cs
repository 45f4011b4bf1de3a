using GlcmMae.Trainer.Models;
using GlcmMae.Trainer.Torch;
using GlcmMae.Trainer.Training;
using TorchSharp;
using TorchSharp.Modules;

namespace GlcmMae.Trainer.Finetuning;

/// <summary>AdamW for fine-tuning with layer-wise learning-rate decay: one group per (layer, decay or not), each with its rate scale.</summary>
internal static class ClassifierOptimizer
{
    /// <summary>The optimiser and the per-group scales to pass to <see cref="OptimizerFactory.SetLearningRate"/>.</summary>
    public static (KeptScalars.AdamW Optimizer, IReadOnlyList<double> Scales) Create(VitClassifier model, double peak, double weightDecay, double layerDecay)
    {
        ArgumentNullException.ThrowIfNull(model);
        var layers = model.Config.Depth + 1;
        var groups = model.named_parameters()
            .Where(p => p.parameter.requires_grad)
            // MAE's no-weight-decay list: biases, norms and the learned tokens.
            .GroupBy(p => (Layer: model.LayerId(p.name), Decay: OptimizerFactory.TakesWeightDecay(p.name, p.parameter) && p.name != "cls_token"))
            .OrderBy(g => g.Key.Layer)
            .ThenBy(g => g.Key.Decay)
            .ToArray();
        var scales = groups.Select(g => Math.Pow(layerDecay, layers - g.Key.Layer)).ToArray();
        var paramGroups = groups.Select((g, i) => new AdamW.ParamGroup(
            [.. g.Select(p => p.parameter)], peak * scales[i], 0.9, 0.999, 1e-8, g.Key.Decay ? weightDecay : 0, false, false)).ToList();
        return (new KeptScalars.AdamW(paramGroups, peak, 0.9, 0.999, 1e-8, weightDecay), scales);
    }
}
