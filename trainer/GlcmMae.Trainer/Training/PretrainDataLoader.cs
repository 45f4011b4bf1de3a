using System.Runtime.CompilerServices;
using System.Threading.Channels;
using GlcmMae.Shared.Preprocessing;
using GlcmMae.Trainer.Data;
using GlcmMae.Trainer.Torch;

namespace GlcmMae.Trainer.Training;

/// <summary>Feeds pretraining batches: decodes and preprocesses on background threads, a few batches ahead of the training step.</summary>
internal sealed class PretrainDataLoader
{
    private const int Prefetch = 3;
    private readonly IReadOnlyList<string> _files;
    private readonly ScanTensorLoader _loader;
    private readonly int _workers;
    private readonly AugmentationMode _augmentation;
    private readonly long _seed;

    public PretrainDataLoader(IReadOnlyList<string> files, PreprocessingSpec spec, int batch, int workers, AugmentationMode augmentation, long seed)
    {
        if (files.Count == 0)
        {
            throw new TrainingException("EmptyDataset", "The dataset has no readable images to pretrain on.");
        }

        _files = files;
        _loader = new ScanTensorLoader(spec);
        BatchSize = Math.Min(batch, files.Count);
        _workers = workers > 0 ? workers : Math.Max(1, Environment.ProcessorCount / 2);
        _augmentation = augmentation;
        _seed = seed;
    }

    /// <summary>Images per batch (the requested batch, or the whole dataset when it is smaller).</summary>
    public int BatchSize { get; }

    /// <summary>Full batches per epoch; the remainder is dropped, as MAE does, so every step sees the same batch size.</summary>
    public int BatchesPerEpoch => _files.Count / BatchSize;

    /// <summary>The batches of an epoch in its seeded order.</summary>
    public async IAsyncEnumerable<LoadedBatch> ReadEpochAsync(int epoch, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var order = Enumerable.Range(0, _files.Count).ToArray();
        new Random((int)(Seeds.Derive(_seed, Seeds.Purpose.DataOrder, epoch) & int.MaxValue)).Shuffle(order);
        var channel = Channel.CreateBounded<LoadedBatch>(new BoundedChannelOptions(Prefetch) { SingleReader = true, SingleWriter = true });
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var producer = Task.Run(() => ProduceAsync(channel.Writer, order, epoch, stop.Token), stop.Token);
        try
        {
            await foreach (var batch in channel.Reader.ReadAllAsync(cancellationToken).ConfigureAwait(false))
            {
                yield return batch;
            }
        }
        finally
        {
            await stop.CancelAsync().ConfigureAwait(false);
            try
            {
                await producer.ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
                // The consumer stopped early (max steps or cancellation): the producer's cancellation is expected.
            }
        }
    }

    private async Task ProduceAsync(ChannelWriter<LoadedBatch> writer, int[] order, int epoch, CancellationToken cancellationToken)
    {
        try
        {
            var spec = _loader.Spec;
            var imageValues = spec.Channels * spec.CropSize * spec.CropSize;
            for (var b = 0; b < BatchesPerEpoch; b++)
            {
                var data = new float[BatchSize * imageValues];
                await Parallel.ForEachAsync(
                    Enumerable.Range(0, BatchSize),
                    new ParallelOptions { MaxDegreeOfParallelism = _workers, CancellationToken = cancellationToken },
                    async (i, ct) =>
                    {
                        var index = order[(b * BatchSize) + i];
                        var image = await _loader.LoadAsync(_files[index], ct).ConfigureAwait(false);
                        var random = new Random((int)(Seeds.Derive(_seed, Seeds.Purpose.Augmentation, epoch, index) & int.MaxValue));
                        Augmentation.Apply(_augmentation, image.Data, spec.Channels, spec.CropSize, random);
                        image.Data.CopyTo(data, i * imageValues);
                    }).ConfigureAwait(false);
                await writer.WriteAsync(new LoadedBatch(b, BatchSize, data), cancellationToken).ConfigureAwait(false);
            }

            writer.Complete();
        }
        catch (Exception exception)
        {
            writer.Complete(exception);
            throw;
        }
    }
}

/// <summary>One decoded batch: its index in the epoch and NCHW float data.</summary>
internal sealed record LoadedBatch(int Index, int Count, float[] Data);
