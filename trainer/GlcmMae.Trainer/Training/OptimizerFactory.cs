using GlcmMae.Trainer.Torch;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace GlcmMae.Trainer.Training;

/// <summary>AdamW as MAE configures it: weight decay on weight matrices only, none on biases and norms (1-D parameters).</summary>
internal static class OptimizerFactory
{
    /// <summary>True for parameters that take weight decay.</summary>
    public static bool TakesWeightDecay(string name, Parameter parameter) => parameter.dim() > 1 && !name.EndsWith(".bias", StringComparison.Ordinal);

    /// <summary>AdamW over the trainable parameters in two groups: decay and no decay.</summary>
    public static KeptScalars.AdamW AdamW(nn.Module model, double learningRate, double weightDecay, double beta1 = 0.9, double beta2 = 0.95)
    {
        var trainable = model.named_parameters().Where(p => p.parameter.requires_grad).ToArray();
        var decay = trainable.Where(p => TakesWeightDecay(p.name, p.parameter)).Select(p => p.parameter).ToArray();
        var noDecay = trainable.Where(p => !TakesWeightDecay(p.name, p.parameter)).Select(p => p.parameter).ToArray();
        var groups = new List<AdamW.ParamGroup>
        {
            new(decay, learningRate, beta1, beta2, 1e-8, weightDecay, false, false),
            new(noDecay, learningRate, beta1, beta2, 1e-8, 0.0, false, false),
        };
        return new KeptScalars.AdamW(groups, learningRate, beta1, beta2, 1e-8, weightDecay);
    }

    /// <summary>Sets the learning rate of every group (scaled by the group's factor where the caller keeps one).</summary>
    public static void SetLearningRate(OptimizerHelper optimizer, double learningRate, IReadOnlyList<double>? scales = null)
    {
        var index = 0;
        foreach (var group in optimizer.ParamGroups)
        {
            group.LearningRate = learningRate * (scales is null ? 1.0 : scales[index]);
            index++;
        }
    }
}
