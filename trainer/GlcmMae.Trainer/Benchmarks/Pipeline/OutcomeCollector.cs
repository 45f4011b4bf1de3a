using GlcmMae.Rehearsal.Messaging;
using GlcmMae.Shared.Messaging;
using GlcmMae.Shared.Pipeline;
using GlcmMae.Shared.Serving;

namespace GlcmMae.Trainer.Benchmarks.Pipeline;

/// <summary>Reads the outcomes the broker accepted, only the new ones on each update, and counts the expected blobs they cover.</summary>
internal sealed class OutcomeCollector(LocalServiceBusBroker broker, IEnumerable<string> expectedBlobs)
{
    private readonly HashSet<string> _expected = new(expectedBlobs, StringComparer.Ordinal);
    private readonly HashSet<string> _covered = new(StringComparer.Ordinal);
    private readonly List<RehearsalOutcome> _outcomes = [];
    private int _results;
    private int _errors;

    /// <summary>Blobs expected.</summary>
    public int Expected => _expected.Count;

    /// <summary>Every outcome read so far.</summary>
    public IReadOnlyList<RehearsalOutcome> Outcomes => _outcomes;

    /// <summary>Reads what arrived since the last update; returns how many expected blobs have an outcome.</summary>
    public int Update()
    {
        Read(Topics.Results, ref _results, RehearsalOutcome.FromResult);
        Read(Topics.Errors, ref _errors, RehearsalOutcome.FromError);
        return _covered.Count;
    }

    private void Read(string topic, ref int cursor, Func<BrokeredMessage, RehearsalOutcome> parse)
    {
        var messages = broker.Messages(topic);
        for (; cursor < messages.Count; cursor++)
        {
            var outcome = parse(messages[cursor]);
            _outcomes.Add(outcome);
            if (outcome.Container == ScanEventProcessor.ScansContainer && _expected.Contains(outcome.BlobName))
            {
                _covered.Add(outcome.BlobName);
            }
        }
    }
}
