using GlcmMae.Shared.Preprocessing;
using GlcmMae.Trainer.Data;
using GlcmMae.Trainer.Evaluation;
using GlcmMae.Trainer.Models;
using GlcmMae.Trainer.Torch;
using GlcmMae.Trainer.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace GlcmMae.Trainer.Benchmarks;

/// <summary>Texture fidelity of a pretrained masked autoencoder's reconstructions of held-out images (<see cref="TextureFidelity"/>).</summary>
internal static class ReconstructionFidelity
{
    /// <summary>The mask ratio of the measurement: the method's.</summary>
    public const double MaskRatio = 0.75;

    /// <summary>
    /// Reconstructs <paramref name="files"/> with the latest checkpoint of <paramref name="pretrainRun"/> and measures the
    /// masked patches. The masks come from <paramref name="seed"/> alone, so every run measured with one seed hides the
    /// same patches of the same images.
    /// </summary>
    public static async Task<TextureFidelity> MeasureAsync(string pretrainRun, IReadOnlyList<string> files, long seed, string device, CancellationToken cancellationToken)
    {
        var checkpoint = Checkpoint.Open(pretrainRun);
        var state = checkpoint.State;
        if (state.Loss.NormalisePixels)
        {
            throw new TrainingException("FidelityNeedsPixels", "Texture fidelity compares pixels; this run predicts per-patch normalised targets (--norm-pix).");
        }

        var config = state.Model;
        var target = TorchEnvironment.ResolveDevice(device);
        using var model = new MaskedAutoencoder(config);
        checkpoint.LoadWeights(model);
        model.to(target);
        model.eval();
        var loader = new ScanTensorLoader(PreprocessingSpec.FromJson(state.PreprocessingSpec));
        var (truth, reconstruction, masked) = (new List<float[]>(), new List<float[]>(), new List<bool[]>());
        var pixels = config.ImageSize * config.ImageSize;
        for (var start = 0; start < files.Count; start += 16)
        {
            var batch = files.Skip(start).Take(16).ToArray();
            // Loaded before the scope and the no-grad mode: both are per thread, and an await may resume on another
            // thread, leaving this one without gradients for whatever trains on it next.
            using var loaded = await loader.LoadBatchAsync(batch, cancellationToken).ConfigureAwait(false);
            using var scope = torch.NewDisposeScope();
            using var noGrad = torch.no_grad();
            var images = loaded.to(target);
            var noise = torch.rand([batch.Length, config.PatchCount], generator: new Generator((ulong)Seeds.Derive(seed, Seeds.Purpose.Masking, -1, start)));
            var output = model.Forward(images, noise, MaskRatio);
            var made = PatchLayout.Unpatchify(output.Prediction, config.PatchSize, config.Channels).cpu().to_type(ScalarType.Float32).data<float>().ToArray();
            var real = images.cpu().data<float>().ToArray();
            var mask = output.Mask.cpu().to_type(ScalarType.Float32).data<float>().ToArray();
            var channelStride = pixels * config.Channels;
            for (var i = 0; i < batch.Length; i++)
            {
                truth.Add(real.AsSpan(i * channelStride, pixels).ToArray());
                reconstruction.Add(made.AsSpan(i * channelStride, pixels).ToArray());
                masked.Add([.. mask.AsSpan(i * config.PatchCount, config.PatchCount).ToArray().Select(m => m > 0.5f)]);
            }
        }

        return TextureFidelity.Measure(truth, reconstruction, masked, config.ImageSize, config.PatchSize);
    }
}
