namespace GlcmMae.Trainer.Tests.Torch;

/// <summary>The worst garbage-collector timing: a thread forces full collections and runs finalizers, over and over, until disposed.</summary>
internal sealed class CollectionPressure : IDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private readonly Thread _thread;
    private long _collections;

    public CollectionPressure()
    {
        _thread = new Thread(() =>
        {
            while (!_stop.IsCancellationRequested)
            {
                GC.Collect();
                GC.WaitForPendingFinalizers();
                Interlocked.Increment(ref _collections);
            }
        })
        { IsBackground = true, Name = "collection pressure" };
        _thread.Start();
    }

    public long Collections => Interlocked.Read(ref _collections);

    public void Dispose()
    {
        _stop.Cancel();
        _thread.Join();
        _stop.Dispose();
    }
}
