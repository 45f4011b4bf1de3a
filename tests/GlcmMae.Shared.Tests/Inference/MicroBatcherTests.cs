using System.Collections.Concurrent;
using GlcmMae.Shared.Inference;

namespace GlcmMae.Shared.Tests.Inference;

public sealed class MicroBatcherTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    [Theory]
    [InlineData(1, new[] { 6 })]
    [InlineData(2, new[] { 3, 2, 1 })]
    [InlineData(3, new[] { 2, 2, 1, 1 })]
    public async Task A_worker_that_comes_free_takes_its_share_of_the_queue_not_all_of_it(int workers, int[] expectedBatches)
    {
        var runner = new GatedRunner();
        await using var batcher = new MicroBatcher(runner.Run, 1, 2, maxBatch: 16, TimeSpan.Zero, workers);

        // Every worker busy with a request of its own (greedy: each runs inline on its caller's thread).
        var first = Enumerable.Range(0, workers).Select(i => Task.Run(() => batcher.InferAsync([100 + i]))).ToArray();
        await runner.WaitForRunsAsync(workers);
        var queued = Enumerable.Range(0, 6).Select(i => batcher.InferAsync([i])).ToArray();

        // Workers come free one at a time, as they do; each takes 1/workers of what is queued then, so the others find
        // work when they come free (with one image costing the same in any batch, all finish at about the same time).
        for (var w = 0; w < workers; w++)
        {
            runner.Finish(w);
            await runner.WaitForRunsAsync(workers + w + 1);
        }

        runner.FinishAll();
        var results = await Task.WhenAll(first.Concat(queued)).WaitAsync(Patience);

        Assert.Equal(expectedBatches, runner.Batches.Skip(workers));
        Assert.All(runner.Batches.Take(workers), size => Assert.Equal(1, size));
        var inputs = Enumerable.Range(0, workers).Select(i => 100f + i).Concat(Enumerable.Range(0, 6).Select(i => (float)i));
        Assert.Equal(inputs, results.Select(r => r.Scores[0]));
        Assert.All(results, r => Assert.Equal(-r.Scores[0], r.Scores[1]));
    }

    [Fact]
    public async Task With_a_batch_window_the_batch_waits_for_company_up_to_its_maximum()
    {
        var runner = new GatedRunner();
        runner.FinishAll();
        await using var batcher = new MicroBatcher(runner.Run, 1, 2, maxBatch: 4, TimeSpan.FromSeconds(20), workers: 1);

        // One request first, the rest while its window is open: an even split of what was queued when the batch began
        // would have run the first alone.
        var first = batcher.InferAsync([0]);
        await Task.Delay(200);
        var rest = Enumerable.Range(1, 3).Select(i => batcher.InferAsync([i])).ToArray();
        var results = await Task.WhenAll(rest.Prepend(first)).WaitAsync(Patience);

        Assert.Equal([4], runner.Batches);
        Assert.Equal([0f, 1f, 2f, 3f], results.Select(r => r.Scores[0]));
    }

    /// <summary>A batch runner that records batch sizes and holds each run until the test lets that run finish.</summary>
    private sealed class GatedRunner
    {
        private readonly ConcurrentDictionary<int, ManualResetEventSlim> _gates = new();
        private readonly SemaphoreSlim _started = new(0);
        private readonly ConcurrentQueue<int> _batches = new();
        private int _runs;
        private volatile bool _open;

        /// <summary>Sizes of the runs in the order they started.</summary>
        public IReadOnlyList<int> Batches => [.. _batches];

        // Two classes per image: the image's one value and its negative.
        public float[] Run(float[] images, int count)
        {
            var gate = Gate(Interlocked.Increment(ref _runs) - 1);
            _batches.Enqueue(count);
            _started.Release();
            if (!_open && !gate.Wait(Patience))
            {
                throw new TimeoutException("The test never let this run finish.");
            }

            return [.. images.Take(count).SelectMany(v => new[] { v, -v })];
        }

        /// <summary>Lets the run that started <paramref name="index"/>-th (from 0) finish.</summary>
        public void Finish(int index) => Gate(index).Set();

        public void FinishAll()
        {
            _open = true;
            foreach (var gate in _gates.Values)
            {
                gate.Set();
            }
        }

        public async Task WaitForRunsAsync(int total)
        {
            while (_batches.Count < total)
            {
                Assert.True(await _started.WaitAsync(Patience), $"only {_batches.Count} of {total} runs started");
            }
        }

        private ManualResetEventSlim Gate(int index) => _gates.GetOrAdd(index, _ => new ManualResetEventSlim(_open));
    }
}
