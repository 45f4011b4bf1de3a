using GlcmMae.Trainer.Torch;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace GlcmMae.Trainer.Torch;

/// <summary>Optimizers whose every scalar is kept alive until libtorch has read it.</summary>
internal static class KeptScalars
{
    /// <summary>
    /// TorchSharp's AdamW with the same update, state and checkpoint format, but with every scalar of the update kept
    /// alive until libtorch has read it. TorchSharp's own step converts its hyperparameters to temporary Scalars
    /// (<c>mul_(beta1)</c>, <c>add_(grad, alpha: 1 - beta1)</c>, ...), which the finalizer can free mid-call; under garbage
    /// collection pressure that failed within seconds with <c>Scalar::toFloat</c> (<see cref="TensorMath"/>).
    /// </summary>
    /// <remarks>
    /// Its type name is AdamW on purpose: TorchSharp writes the optimizer's type name into saved state and checks it on
    /// load, so checkpoints move freely between this class and TorchSharp's (runs from before it still resume).
    /// </remarks>
    internal sealed class AdamW(IEnumerable<TorchSharp.Modules.AdamW.ParamGroup> groups, double learningRate, double beta1, double beta2, double eps, double weightDecay)
        : TorchSharp.Modules.AdamW(groups, learningRate, beta1, beta2, eps, weightDecay)
    {
        /// <summary>One AdamW step (decoupled weight decay, bias-corrected moments), operation for operation as TorchSharp's, so results are bitwise the same.</summary>
        public override Tensor step(Func<Tensor>? closure = null) => _step<ParamGroup>(
            group =>
            {
                var options = (Options)group.Options;
                var b1 = options.beta1!.Value;
                var b2 = options.beta2!.Value;
                var lr = options.LearningRate!.Value;
                if (options.amsgrad == true || options.maximize == true)
                {
                    throw new NotSupportedException("KeptScalars.AdamW implements plain AdamW (no amsgrad, no maximize).");
                }

                using var decay = TensorMath.Owned(1 - (lr * options.weight_decay!.Value));
                using var beta1 = TensorMath.Owned(b1);
                using var beta2 = TensorMath.Owned(b2);
                using var oneMinusBeta1 = TensorMath.Owned(1 - b1);
                using var oneMinusBeta2 = TensorMath.Owned(1 - b2);
                using var eps = TensorMath.Owned(options.eps!.Value);
                foreach (var param in group.Parameters)
                {
                    var grad = param.grad;
                    if (grad is null)
                    {
                        continue;
                    }

                    var state = (State)_state[param.Handle];
                    state.step += 1;
                    param.mul_(decay);
                    var biasCorrection1 = 1 - Math.Pow(b1, state.step);
                    var biasCorrection2 = 1 - Math.Pow(b2, state.step);
                    state.exp_avg.mul_(beta1).add_(grad, oneMinusBeta1);
                    state.exp_avg_sq.mul_(beta2).addcmul_(grad, grad, oneMinusBeta2);
                    using var root = TensorMath.Owned(Math.Sqrt(biasCorrection2));
                    using var denominator = state.exp_avg_sq.sqrt();
                    denominator.div_(root).add_(eps, TensorMath.One);
                    using var stepSize = TensorMath.Owned(-(lr / biasCorrection1));
                    param.addcdiv_(state.exp_avg, denominator, stepSize);
                }
            },
            closure);
    }
}
