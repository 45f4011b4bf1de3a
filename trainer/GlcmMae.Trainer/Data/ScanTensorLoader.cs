using GlcmMae.Shared.Imaging;
using GlcmMae.Shared.Preprocessing;
using TorchSharp;
using static TorchSharp.torch;

namespace GlcmMae.Trainer.Data;

/// <summary>Turns scans into model input batches with the shared <see cref="Preprocessor"/>: the same tensors serving computes.</summary>
internal sealed class ScanTensorLoader(PreprocessingSpec spec)
{
    private readonly Preprocessor _preprocessor = new(spec);

    /// <summary>The spec every batch is made with.</summary>
    public PreprocessingSpec Spec => _preprocessor.Spec;

    /// <summary>Reads and preprocesses one scan file.</summary>
    public async Task<PreprocessedImage> LoadAsync(string path, CancellationToken cancellationToken = default)
    {
        var stream = File.OpenRead(path);
        await using (stream.ConfigureAwait(false))
        {
            var document = await ScanDocument.OpenAsync(stream, cancellationToken: cancellationToken).ConfigureAwait(false);
            return _preprocessor.Run(document);
        }
    }

    /// <summary>Loads scans in parallel (decoding is CPU work) and stacks them into an NCHW float tensor.</summary>
    public async Task<Tensor> LoadBatchAsync(IReadOnlyList<string> paths, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(paths);
        var images = new PreprocessedImage[paths.Count];
        await Parallel.ForEachAsync(
            Enumerable.Range(0, paths.Count),
            cancellationToken,
            async (i, ct) => images[i] = await LoadAsync(paths[i], ct).ConfigureAwait(false)).ConfigureAwait(false);

        var size = spec.CropSize;
        var data = new float[images.Length * spec.Channels * size * size];
        for (var i = 0; i < images.Length; i++)
        {
            images[i].Data.CopyTo(data, i * images[i].Data.Length);
        }

        return torch.tensor(data, [images.Length, spec.Channels, size, size]);
    }
}
