namespace GlcmMae.Trainer.Cli;

/// <summary>Every user-facing description of the command line, in one place.</summary>
internal static class Strings
{
    public const string RootDescription =
        "GLCM-MAE: texture-aware masked-autoencoder pretraining, fine-tuning and serving for medical images.";

    public const string VersionDescription =
        "Show the version, the TorchSharp/libtorch and ONNX Runtime versions, and the devices found.";

    public const string JsonDescription = "Write machine-readable JSON to standard output instead of tables.";

    public const string QuickstartDescription =
        "Run the end-to-end demo on the embedded local store (./.glcmmae/): every stage built so far, in order.";

    public const string ThreadsDescription = "CPU threads for libtorch and ONNX Runtime (default: all cores).";
}
