using System.CommandLine;
using GlcmMae.Shared.Pipeline;
using GlcmMae.Shared.Preprocessing;
using GlcmMae.Trainer.Hosting;

namespace GlcmMae.Trainer.Cli;

/// <summary>Factories for options that several commands share, so names and help stay identical.</summary>
internal static class CommonOptions
{
    public static Option<bool> Json() => new("--json") { Description = Strings.JsonDescription };

    public static Option<string> StoreRoot() => new("--root")
    {
        Description = Strings.StoreRootDescription,
        DefaultValueFactory = _ => ".glcmmae",
    };

    public static Option<string> Device() => new("--device")
    {
        Description = Strings.DeviceDescription,
        DefaultValueFactory = _ => "auto",
    };

    public static Option<int?> Threads() => new("--threads")
    {
        Description = Strings.ThreadsDescription,
        Validators =
        {
            result =>
            {
                if (result.GetValueOrDefault<int?>() is < 1)
                {
                    result.AddError("--threads must be at least 1.");
                }
            },
        },
    };

    /// <summary>The model's input side, overriding the preset's (a CPU can train 16 px texture patches on larger images).</summary>
    public static Option<int?> ImageSize() => new("--image-size") { Description = "Model input side in pixels, overriding the preset's (tiny: 64); a whole number of patches." };

    /// <summary>The model's patch side (tokens and GLCM patches), overriding the preset's.</summary>
    public static Option<DecodeResolution> DecodeResolution() => new("--decode-resolution")
    {
        Description = "full (default), or reduced: JPEG 2000 scans decode only the wavelet level just large enough for the model's input, several times faster on large images. Fixed in the model's preprocessing, so serving decodes the same way.",
        DefaultValueFactory = _ => Shared.Preprocessing.DecodeResolution.Full,
    };

    public static Option<int?> PatchSize() => new("--patch-size") { Description = "Patch side in pixels, overriding the preset's (16): the transformer's tokens and the GLCM loss's patches." };

    /// <summary>The model registry: <c>--store</c>, else the <c>Serving:ModelStore</c> setting, else Local.</summary>
    public static Option<ModelStoreKind> Store() => new("--store")
    {
        Description = "Model registry: Local (<root>/models) or Azure (container 'models' on the account of Storage:ConnectionString or Storage:BlobServiceUri). Default: Serving:ModelStore, else Local.",
        DefaultValueFactory = _ => Enum.TryParse<ModelStoreKind>(TrainerSettings.Read()["Serving:ModelStore"], ignoreCase: true, out var kind) ? kind : ModelStoreKind.Local,
    };

    /// <summary>Where model decisions (promoted, refused, rolled back) are announced.</summary>
    public static Option<Registry.ModelEventTarget> ModelEvents() => new("--events")
    {
        Description = "Where decisions are announced: auto (Service Bus when configured, else <root>/topics/model-events), file, servicebus or none.",
        DefaultValueFactory = _ => Registry.ModelEventTarget.Auto,
    };

    public static Option<string> ModelName() => new("--name")
    {
        Description = "Model name in the registry.",
        DefaultValueFactory = _ => "glcmmae-classifier",
    };

    /// <summary>--report-images: draw the misclassified scans into the evaluation report (off: reports carry figures, never scan pixels).</summary>
    public static Option<bool> ReportImages() => new("--report-images")
    {
        Description = "Draw the misclassified scans into the evaluation report. Off by default: a report is shared more widely than the scans, and images can carry burnt-in patient details.",
    };
}
