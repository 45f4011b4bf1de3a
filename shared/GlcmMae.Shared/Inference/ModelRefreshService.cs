using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace GlcmMae.Shared.Inference;

/// <summary>Loads the current model at start and polls <c>current.json</c> for promotions.</summary>
public sealed partial class ModelRefreshService(ModelHost host, IOptions<ServingOptions> options, ILogger<ModelRefreshService> logger) : BackgroundService
{
    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var period = TimeSpan.FromSeconds(options.Value.RefreshSeconds);
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await host.RefreshAsync(stoppingToken).ConfigureAwait(false);
            }
            catch (Exception exception) when (exception is not OperationCanceledException)
            {
                // Keep polling: the registry may be empty until the first model is promoted.
                LogRefreshFailed(logger, exception.Message);
            }

            await Task.Delay(period, stoppingToken).ConfigureAwait(false);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Model refresh failed; retrying: {Reason}")]
    private static partial void LogRefreshFailed(ILogger logger, string reason);
}
