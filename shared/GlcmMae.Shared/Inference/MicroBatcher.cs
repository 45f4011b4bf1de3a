using System.Diagnostics;
using System.Threading.Channels;

namespace GlcmMae.Shared.Inference;

/// <summary>Queues concurrent single-image requests and runs them as batches: up to a size, or whatever arrived within a delay.</summary>
/// <remarks>
/// With a delay of zero the batcher is greedy: a lone request runs at once, and requests that arrive while a batch runs
/// form the next batch (with several workers, each takes an even share of the queue). Under load batches fill by
/// themselves; at low load nobody waits for company that is not coming. Several workers run batches side by side (ONNX
/// Runtime sessions take concurrent runs): on a CPU, workers of one intra-op thread each keep every core busy without
/// the per-operator barriers of one multi-threaded run, which stall whenever decoding takes a core from one of its
/// threads. In greedy mode a request that finds the queue empty and a worker free runs at once on its own thread:
/// waking a batching loop and then the request's continuation costs two thread hand-offs, a tenth of a small model's
/// run on a CPU, for a batch of one either way.
/// </remarks>
public sealed class MicroBatcher : IAsyncDisposable
{
    // The engine's run (images, count) -> class scores, and its input and output sizes per image. The images array may
    // be longer than count images (batches are pooled).
    private readonly Func<float[], int, float[]> _run;
    private readonly int _imageValues;
    private readonly int _classes;
    private readonly int _maxBatch;
    private readonly TimeSpan _maxDelay;
    private readonly Channel<Request> _queue;
    private readonly Task[] _loops;

    // One slot per worker: a batching loop or an inline request holds one while its run is in progress.
    private readonly SemaphoreSlim _slots;
    private volatile bool _closed;

    // Requests written and not yet taken (a single-reader channel cannot count).
    private int _queued;

    /// <summary>Starts <paramref name="workers"/> batching loops over an engine.</summary>
    public MicroBatcher(OnnxClassifierEngine engine, int maxBatch, TimeSpan maxDelay, int workers = 1)
        : this(RunnerOf(engine), engine.ImageValues, engine.Classes, maxBatch, maxDelay, workers)
    {
    }

    /// <summary>Starts batching loops over any batch runner (tests drive the batcher with runners they control).</summary>
    internal MicroBatcher(Func<float[], int, float[]> run, int imageValues, int classes, int maxBatch, TimeSpan maxDelay, int workers)
    {
        ArgumentNullException.ThrowIfNull(run);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxBatch, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(workers, 1);
        _run = run;
        _imageValues = imageValues;
        _classes = classes;
        _maxBatch = maxBatch;
        _maxDelay = maxDelay;
        _queue = Channel.CreateUnbounded<Request>(new UnboundedChannelOptions { SingleReader = workers == 1 });
        _slots = new SemaphoreSlim(workers, workers);
        _loops = [.. Enumerable.Range(0, workers).Select(_ => Task.Run(RunAsync))];
    }

    private long _batches;
    private long _images;

    private static Func<float[], int, float[]> RunnerOf(OnnxClassifierEngine engine)
    {
        ArgumentNullException.ThrowIfNull(engine);
        return (images, count) => engine.Run(images, count);
    }

    /// <summary>Batches run and images in them so far (mean batch size = images / batches).</summary>
    public (long Batches, long Images) Statistics => (Interlocked.Read(ref _batches), Interlocked.Read(ref _images));

    /// <summary>Classifies one preprocessed image as part of the next batch.</summary>
    public Task<BatchedInference> InferAsync(float[] image, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(image);
        if (_maxDelay <= TimeSpan.Zero && !_closed && Volatile.Read(ref _queued) == 0 && _slots.Wait(0))
        {
            try
            {
                return Task.FromResult(RunAlone(image));
            }
            catch (Exception exception)
            {
                return Task.FromException<BatchedInference>(exception);
            }
            finally
            {
                _slots.Release();
            }
        }

        var request = new Request(image, Stopwatch.GetTimestamp(), new TaskCompletionSource<BatchedInference>(TaskCreationOptions.RunContinuationsAsynchronously));
        Interlocked.Increment(ref _queued);
        if (!_queue.Writer.TryWrite(request))
        {
            Interlocked.Decrement(ref _queued);
            throw new ObjectDisposedException(nameof(MicroBatcher), "The model is being unloaded; retry.");
        }

        return request.Completion.Task.WaitAsync(cancellationToken);
    }

    /// <summary>Finishes queued requests, then stops.</summary>
    public async ValueTask DisposeAsync()
    {
        _closed = true;
        _queue.Writer.TryComplete();
        await Task.WhenAll(_loops).ConfigureAwait(false);
        for (var i = 0; i < _loops.Length; i++)
        {
            // Inline runs that started before the close finish before the engine goes.
            await _slots.WaitAsync().ConfigureAwait(false);
        }

        _slots.Dispose();
    }

    private async Task RunAsync()
    {
        var batch = new List<Request>(_maxBatch);
        var reader = _queue.Reader;
        while (await reader.WaitToReadAsync().ConfigureAwait(false))
        {
            await _slots.WaitAsync().ConfigureAwait(false);
            try
            {
                await FillAndRunAsync(batch, reader).ConfigureAwait(false);
            }
            finally
            {
                _slots.Release();
            }
        }
    }

    private async Task FillAndRunAsync(List<Request> batch, ChannelReader<Request> reader)
    {
        batch.Clear();
        var limit = _maxDelay <= TimeSpan.Zero ? FairShare() : _maxBatch;
        var deadline = Stopwatch.GetTimestamp() + (long)(_maxDelay.TotalSeconds * Stopwatch.Frequency);
        while (batch.Count < limit)
        {
            if (reader.TryRead(out var request))
            {
                Interlocked.Decrement(ref _queued);
                batch.Add(request);
                continue;
            }

            if (_maxDelay <= TimeSpan.Zero)
            {
                // Greedy: run what is here, which may be nothing when another worker took it.
                break;
            }

            var remaining = Stopwatch.GetElapsedTime(Stopwatch.GetTimestamp(), deadline);
            if (batch.Count > 0 && remaining <= TimeSpan.Zero)
            {
                break;
            }

            using var timeout = new CancellationTokenSource(remaining > TimeSpan.Zero ? remaining : TimeSpan.Zero);
            try
            {
                if (!await reader.WaitToReadAsync(timeout.Token).ConfigureAwait(false))
                {
                    break;
                }
            }
            catch (OperationCanceledException) when (timeout.IsCancellationRequested)
            {
                // The batch window closed: run what arrived.
                break;
            }
        }

        if (batch.Count > 0)
        {
            Execute(batch);
        }
    }

    /// <summary>In greedy mode, one worker's part of the queue: an even split between all workers.</summary>
    /// <remarks>
    /// Taking everything would leave the other workers idle while one runs a big batch on its share of the cores
    /// (docs/serving.md has the case measured). A worker that finds the others still busy takes the rest next time.
    /// </remarks>
    private int FairShare()
    {
        // Only the loops call this, after the constructor has stored them.
        var workers = _loops.Length;
        var queued = Volatile.Read(ref _queued);
        return Math.Clamp((queued + workers - 1) / workers, 1, _maxBatch);
    }

    private BatchedInference RunAlone(float[] image)
    {
        var started = Stopwatch.GetTimestamp();
        var output = _run(image, 1);
        Interlocked.Increment(ref _batches);
        Interlocked.Increment(ref _images);
        return new BatchedInference(output, 0, Stopwatch.GetElapsedTime(started).TotalMilliseconds, 1);
    }

    private void Execute(List<Request> batch)
    {
        var started = Stopwatch.GetTimestamp();
        var values = _imageValues;
        // Pooled: a batch of 224 px images would otherwise take a new array from the large object heap every run.
        var input = System.Buffers.ArrayPool<float>.Shared.Rent(batch.Count * values);
        try
        {
            for (var i = 0; i < batch.Count; i++)
            {
                batch[i].Image.AsSpan(0, values).CopyTo(input.AsSpan(i * values));
            }

            var output = _run(input, batch.Count);
            Interlocked.Increment(ref _batches);
            Interlocked.Add(ref _images, batch.Count);
            var inference = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
            var classes = _classes;
            for (var i = 0; i < batch.Count; i++)
            {
                var queued = Stopwatch.GetElapsedTime(batch[i].Enqueued, started).TotalMilliseconds;
                batch[i].Completion.TrySetResult(new BatchedInference(output.AsSpan(i * classes, classes).ToArray(), queued, inference, batch.Count));
            }
        }
        catch (Exception exception)
        {
            // One failed batch fails its requests (the caller retries), never the loop.
            foreach (var request in batch)
            {
                request.Completion.TrySetException(exception);
            }
        }
        finally
        {
            System.Buffers.ArrayPool<float>.Shared.Return(input);
        }
    }

    private sealed record Request(float[] Image, long Enqueued, TaskCompletionSource<BatchedInference> Completion);
}
