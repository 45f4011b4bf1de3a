using GlcmMae.Shared.Preprocessing;
using GlcmMae.Trainer.Models;
using GlcmMae.Trainer.Training;

namespace GlcmMae.Trainer.Finetuning;

/// <summary>Where a classifier's weights and preprocessing come from: a pretraining checkpoint, a PyTorch file, or nothing.</summary>
internal sealed record FinetuneStart(MaeConfig Config, PreprocessingSpec Spec, string Description, Func<VitClassifier, string> Initialise)
{
    /// <summary>Resolves the options' starting point; a checkpoint fixes the shape and the preprocessing it was pretrained with.</summary>
    public static FinetuneStart Resolve(FinetuneOptions options)
    {
        if (options.Checkpoint is { } path)
        {
            var checkpoint = Checkpoint.Open(path);
            var config = checkpoint.State.Model;
            return new FinetuneStart(config, PreprocessingSpec.FromJson(checkpoint.State.PreprocessingSpec), checkpoint.Path, classifier =>
            {
                using var mae = new MaskedAutoencoder(config);
                checkpoint.LoadWeights(mae);
                var copied = classifier.LoadEncoder(mae);
                return $"Encoder from {checkpoint.Path} ({checkpoint.State.Stage} stage, epoch {checkpoint.State.Epoch}): {copied} tensors.";
            });
        }

        var preset = ModelPresets.Get(options.Model, options.Channels, options.ImageSize, options.PatchSize);
        if (options.InitFrom is { } pth)
        {
            return new FinetuneStart(preset, PretrainRunner.SpecFor(preset, options.DecodeResolution), Path.GetFullPath(pth), classifier => PretrainedWeights.Import(classifier, pth).Summary);
        }

        return new FinetuneStart(preset, PretrainRunner.SpecFor(preset, options.DecodeResolution), "scratch", _ => "No pretraining: the classifier starts from MAE's random initialisation.");
    }
}
