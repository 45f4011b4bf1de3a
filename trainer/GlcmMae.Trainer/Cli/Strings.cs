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

    public const string InspectDescription =
        "Print a scan's metadata as JSON (DICOM, PNG or JPEG; format detected from the bytes). Patient attributes are left out unless --show-phi.";

    public const string InspectFileDescription = "The scan to inspect.";

    public const string ShowPhiDescription =
        "Also print patient-identifying attributes (PatientName, PatientID, BirthDate, ...) and private tags. Never use in logs.";

    public const string RenderDescription =
        "Render a scan as the displayed 8-bit PNG (DICOM window, MONOCHROME1 inverted), and optionally dump its real values.";

    public const string RenderFileDescription = "The scan to render.";

    public const string RenderOutputDescription = "Where to write the PNG.";

    public const string FrameDescription = "Frame number (0-based) of a multi-frame scan.";

    public const string WindowDescription = "Window as CENTER,WIDTH in modality units (e.g. 40,400 for CT soft tissue).";

    public const string NoWindowDescription = "Map the full value range of the encoding to 0-255 instead of windowing.";

    public const string RawDescription =
        "Also write the modality-LUT values as little-endian float32, rows x columns x samples, for comparison with other toolkits.";

    public const string BenchDescription = "Measure performance: decode (scan decoding), train-step (GLCM-MAE step cost), ssl (the paper's pretraining comparison), export (ONNX Runtime vs TorchSharp), serve (pipeline vs bare ONNX Runtime), pipeline (load and fault rehearsal through Azurite and a local Service Bus), ood (abstention on scans unlike the training data), explain (the pointing game of the heatmaps), fuzz (damaged files through the decoders), glcm-noise (how much of the GLCM term is sampling noise).";

    public const string DeidDescription =
        "De-identifies a folder or blob prefix of DICOM files with the DICOM PS3.15 Basic Application Level Confidentiality Profile (attributes removed or emptied, UIDs remapped consistently, private tags removed; burned-in annotation refused unless allowed) before data leaves the hospital; prints a summary of what changed, never the values.";

    public const string PseudonymDescription =
        "Prints the pseudonym serving publishes (Privacy:Mode=Pseudonymise) for each blob name or DICOM UID, under the key in Privacy:Key (GLCMMAE_Privacy__Key), so a hospital system can find the messages about its own scans.";

    public const string BenchExplainDescription =
        "The pointing game of a published model's explanations: synthetic B-mode phantoms, whose lesion is the only place the classes differ, served with occlusion heatmaps; counts how often the heatmap's peak falls inside the lesion against a random peak, and what an explanation costs.";

    public const string BenchOodDescription =
        "Out-of-distribution abstention of a published model, through the serving code: in-distribution scans you give, and generated scans it never saw the like of (another texture family, CT-like anatomy, natural-like noise, white noise, geometric patterns, a CT DICOM). Prints per family the scans refused, abstained and labelled under the model's rule, and the AUROC of the energy and maximum-probability scores against the in-distribution scans.";

    public const string BenchPipelineDescription =
        "Load and fault rehearsal of the serving path: scans uploaded to Azurite with Event Grid-shaped events (both schemas, plain and base64), handled by the functions' own code, outcomes to a local AMQP broker with Service Bus duplicate detection, while the broker goes down, Azurite restarts, damaged files and repeated events arrive and a model is promoted. Prints scans/s, upload-to-outcome latency and the ledger; exit 1 when any blob is lost, doubled or poisoned.";

    public const string BenchFuzzDescription =
        "Damage valid DICOM (every transfer syntax the installed tools can make), PNG and JPEG files (bit flips, byte runs, truncation, smashed length fields, duplicated and deleted chunks) and open and decode each as serving does, in this process: counts decoded, typed errors, untyped exceptions and inputs over the time or memory limit per seed family. Exit code 1 when any input threw untyped or went over a limit.";

    public const string BenchDecodeDescription =
        "Single-threaded decode and decode+preprocess (224x224) throughput per transfer syntax on generated CT and ultrasound images, or with --files on your own scans (ms/file, files/s, MB/s, allocations per transfer syntax).";

    public const string SynthDescription =
        "Generate a labelled ultrasound-like dataset (normal/benign/malignant) whose classes differ only in lesion texture: speckle density, correlation length, bright reflectors.";

    public const string BenchGlcmNoiseDescription =
        "How much of the GLCM term between two patches is sampling noise: on the texture family, the term between patches of one image, one class and two classes, per bin count, and how well it tells the classes apart.";

    public const string BenchSslDescription =
        "The paper's claim on synthetic texture data: no pretraining vs MAE vs GLCM-MAE vs its feature variant, each by linear probe and fine-tuning with few labels, mean and spread over seeds (markdown + JSON).";

    public const string ExportDescription =
        "Export a fine-tuned classifier to ONNX (opset 17, dynamic batch, logits and probabilities) and prove parity with TorchSharp on random and real scans; writes model.onnx and manifest.json.";

    public const string PublishDescription =
        "Export with parity check, publish an immutable version to the model registry (local or Azure Blob), and promote it when its test metric is not worse than the current model's on the same test set.";

    public const string ModelsDescription =
        "The model registry: list versions, show a manifest, promote a version, roll back to the previous one.";

    public const string ServeDescription =
        "Run the serving pipeline here: watch a scans folder (default) or consume the scan-events queue, classify with the current model (hot-swapped on promotion), publish results and errors to file topics or Service Bus.";

    public const string UploadDescription =
        "Upload local scans to the scans container of the Storage settings (Storage:ConnectionString, e.g. Azurite's, or Storage:BlobServiceUri with an Azure identity); with --announce, also queue the BlobCreated events that Event Grid sends in Azure.";

    public const string ClassifyDescription =
        "Classify local scans with the current model of the registry and print a table (or JSON); exit code 1 if any scan could not be classified.";

    public const string RetrainDescription =
        "The scheduled job's pipeline in one command: pretrain (MSE, then GLCM), fine-tune, evaluate, export with parity, publish, promote if not worse. Reads GLCMMAE_Training__Data and GLCMMAE_Models__Name when set.";

    public const string FinetuneDescription =
        "Fine-tune (or linearly probe) a ViT classifier from a pretraining checkpoint, PyTorch weights or scratch: stratified splits by study, selection on validation, one test evaluation with an HTML report; --folds K for cross-validation.";

    public const string EvaluateDescription =
        "Evaluate a classifier on its run's test split or on another labelled dataset: accuracy, balanced accuracy, per-class figures, AUROC, calibration, bootstrap intervals; metrics.json and a self-contained report.html.";

    public const string PretrainDescription =
        "GLCM-MAE pretraining, one stage at a time: --stage mse (plain MAE) then --stage glcm --resume <stage-1 run>. Progress bar, metrics.jsonl, checkpoints (auto-resume), loss curves and reconstructions.";

    public const string PretrainDataDescription = "Dataset: a folder (class sub-folders or labels.csv), a CSV of path,label, or az://container/prefix (labels are ignored).";

    public const string PretrainOutputDescription = "Run folder for checkpoints, metrics and plots (default <root>/runs/pretrain-<stage>); a run there is continued.";

    public const string ResumeDescription = "Checkpoint or run folder to start from: same stage continues it, a stage-1 (mse) run seeds stage 2 (glcm) with its weights.";

    public const string InitDescription = "PyTorch MAE/ViT checkpoint (.pth state dict) to initialise from, e.g. the public ImageNet MAE ViT-B; RGB patch embeddings are summed for 1 channel.";

    public const string ChannelsDescription = "Input channels: 1 (grayscale) or 3.";

    public const string StageDescription = "mse (stage 1, plain MAE) or glcm (stage 2, GLCM + SSIM + MSE).";

    public const string BenchTrainStepDescription =
        "Pretraining step time (MSE-only vs full GLCM-MAE loss at the same batch) and the GLCM term's time and peak memory, sparse vs direct.";

    public const string BenchStepsDescription = "Optimiser steps to time per loss, in paired rounds of four (default 40).";

    public const string ModelDescription = "Model preset: tiny (tests, CPU demos), small, base (ViT-B/16 as in the paper).";

    public const string BatchDescription = "Images per batch.";

    public const string BinsDescription = "GLCM gray levels K (default 256).";

    public const string DeviceDescription = "auto (CUDA when present), cpu, cuda or cuda:N.";

    public const string BenchSecondsDescription = "Seconds to spend measuring each case (default 1).";

    public const string StoreRootDescription = "Folder of the embedded local store (models, scans, reports).";

    public const string ThreadsDescription = "CPU threads for libtorch and ONNX Runtime (default: all cores).";
}
