namespace GlcmMae.Trainer.Serving;

/// <summary>What an Azure Storage call throws when storage cannot be reached or refuses: a reason to wait and try again, not to give up.</summary>
internal static class StorageOutages
{
    /// <summary>
    /// True for the SDK's refusal, its "retries exhausted" aggregate, a transport failure, and a timeout that was not
    /// our own cancellation (<paramref name="cancellationToken"/>).
    /// </summary>
    public static bool Match(Exception exception, CancellationToken cancellationToken = default) =>
        exception is Azure.RequestFailedException or AggregateException or HttpRequestException or IOException
        || (exception is OperationCanceledException && !cancellationToken.IsCancellationRequested);
}
