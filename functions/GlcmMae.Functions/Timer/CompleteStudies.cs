using GlcmMae.Shared.Studies;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace GlcmMae.Functions.Timer;

/// <summary>Publishes the studies that have been quiet for <c>Studies:QuietPeriodSeconds</c> (and re-publishes claims that went stale).</summary>
/// <remarks>
/// Runs every minute on one instance at a time: the Functions host holds a blob lease in AzureWebJobsStorage for a timer
/// (https://learn.microsoft.com/azure/azure-functions/functions-bindings-timer#singleton-behavior). The ledger's ETag
/// claims make a second runner harmless anyway. The completer is resolved only when study results are on, so an app
/// without a table service configured still starts.
/// </remarks>
internal sealed class CompleteStudies(IServiceProvider services, IOptions<StudyOptions> options)
{
    /// <summary>Every minute, on the minute (NCRONTAB with seconds).</summary>
    public const string Schedule = "0 * * * * *";

    [Function(nameof(CompleteStudies))]
    public async Task RunAsync([TimerTrigger(Schedule)] TimerInfo timer, CancellationToken cancellationToken)
    {
        if (options.Value.Store != StudyStore.Table)
        {
            return;
        }

        await services.GetRequiredService<StudyCompleter>().CompleteDueAsync(cancellationToken).ConfigureAwait(false);
    }
}
