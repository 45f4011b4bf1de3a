using System.Collections.Concurrent;
using GlcmMae.Rehearsal.Networking;
using Microsoft.Azure.Amqp;
using Microsoft.Azure.Amqp.Framing;
using Microsoft.Azure.Amqp.Sasl;
using Microsoft.Azure.Amqp.Transport;

namespace GlcmMae.Rehearsal.Messaging;

/// <summary>
/// A small AMQP 1.0 broker (Microsoft.Azure.Amqp) that the Service Bus SDK talks to as it would to the emulator: SASL,
/// claims-based authorisation on <c>$cbs</c>, sender links to topics, single and batched messages, and Service Bus's
/// duplicate detection by MessageId. It can be stopped and restarted on the same port to simulate an outage.
/// </summary>
public sealed class LocalServiceBusBroker : IRuntimeProvider, IAsyncDisposable
{
    private readonly ConcurrentDictionary<string, ConcurrentQueue<BrokeredMessage>> _topics = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, ConcurrentDictionary<string, bool>> _seenIds = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, SendingAmqpLink> _cbsReplies = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<AmqpConnection, bool> _connections = new();
    private readonly object _gate = new();
    private AmqpSettings? _settings;
    private TransportListener? _listener;
    private int _duplicates;

    /// <summary>Creates a broker with the given topics (sends to other entities are refused, as Service Bus does).</summary>
    public LocalServiceBusBroker(params string[] topics)
    {
        foreach (var topic in topics)
        {
            _topics[topic] = new ConcurrentQueue<BrokeredMessage>();
            _seenIds[topic] = new ConcurrentDictionary<string, bool>(StringComparer.Ordinal);
        }

        Port = LoopbackPorts.GetFree();
    }

    /// <summary>The loopback port.</summary>
    public int Port { get; }

    /// <summary>A Service Bus connection string for this broker (plain AMQP, as for the emulator).</summary>
    public string ConnectionString => $"Endpoint=sb://127.0.0.1:{Port};SharedAccessKeyName=RootManageSharedAccessKey;SharedAccessKey=SAS_KEY_VALUE;UseDevelopmentEmulator=true;";

    /// <summary>Messages the broker accepted per topic, after duplicate detection.</summary>
    public IReadOnlyList<BrokeredMessage> Messages(string topic) => [.. _topics[topic]];

    /// <summary>Sends refused as duplicates (same MessageId within the topic).</summary>
    public int DuplicatesDropped => _duplicates;

    /// <summary>Starts listening (again).</summary>
    public void Start()
    {
        lock (_gate)
        {
            var settings = new AmqpSettings { RuntimeProvider = this };
            var sasl = new SaslTransportProvider();
            sasl.Versions.Add(new AmqpVersion(1, 0, 0));
            sasl.AddHandler(new SaslAnonymousHandler());
            // The Service Bus SDK authenticates with this mechanism and then sends tokens to $cbs.
            sasl.AddHandler(new SaslAnonymousHandler("MSSBCBS"));
            settings.TransportProviders.Add(sasl);
            var amqp = new AmqpTransportProvider();
            amqp.Versions.Add(new AmqpVersion(1, 0, 0));
            settings.TransportProviders.Add(amqp);
            var tcp = new TcpTransportSettings { Host = "127.0.0.1", Port = Port };
            _settings = settings;
            _listener = new AmqpTransportListener([tcp.CreateListener()], settings);
            _listener.Listen(OnAcceptTransport);
        }
    }

    /// <summary>Stops listening and drops every connection: clients see connection failures until <see cref="Start"/>.</summary>
    public void Stop()
    {
        lock (_gate)
        {
            _listener?.Close();
            _listener = null;
            foreach (var connection in _connections.Keys)
            {
                connection.SafeClose();
            }

            _connections.Clear();
            _cbsReplies.Clear();
        }
    }

    /// <inheritdoc />
    public ValueTask DisposeAsync()
    {
        Stop();
        return ValueTask.CompletedTask;
    }

    /// <inheritdoc />
    public AmqpConnection CreateConnection(TransportBase transport, ProtocolHeader protocolHeader, bool isInitiator, AmqpSettings amqpSettings, AmqpConnectionSettings connectionSettings) =>
        new(transport, protocolHeader, false, amqpSettings, connectionSettings);

    /// <inheritdoc />
    public AmqpSession CreateSession(AmqpConnection connection, AmqpSessionSettings settings) => new(connection, settings, this);

    /// <inheritdoc />
    public AmqpLink CreateLink(AmqpSession session, AmqpLinkSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        if (settings.Role == true)
        {
            // The client sends: the broker receives on this link (topic or $cbs requests).
            settings.MaxMessageSize = 1024 * 1024;
            return new ReceivingAmqpLink(session, settings);
        }

        return new SendingAmqpLink(session, settings);
    }

    /// <inheritdoc />
    public IAsyncResult BeginOpenLink(AmqpLink link, TimeSpan timeout, AsyncCallback callback, object state)
    {
        ArgumentNullException.ThrowIfNull(link);
        if (link is ReceivingAmqpLink receiver)
        {
            var address = ((Target)receiver.Settings.Target).Address.ToString()!;
            if (address == "$cbs")
            {
                receiver.RegisterMessageListener(message => OnTokenRequest(receiver, message));
            }
            else
            {
                var topic = address.TrimStart('/');
                if (!_topics.ContainsKey(topic))
                {
                    throw new AmqpException(AmqpErrorCode.NotFound, $"The messaging entity '{topic}' could not be found.");
                }

                receiver.RegisterMessageListener(message => OnTopicMessage(receiver, topic, message));
            }

            receiver.SetTotalLinkCredit(100, true, true);
        }
        else if (link is SendingAmqpLink sender)
        {
            var replyTo = ((Target)sender.Settings.Target).Address.ToString()!;
            _cbsReplies[replyTo] = sender;
        }

        return Task.CompletedTask.ContinueWith(_ => callback(new CompletedResult(state)), TaskScheduler.Default);
    }

    /// <inheritdoc />
    public void EndOpenLink(IAsyncResult result)
    {
    }

    private void OnAcceptTransport(TransportListener listener, TransportAsyncCallbackArgs args)
    {
        var connection = CreateConnection(args.Transport, (ProtocolHeader)args.UserToken, false, _settings!, new AmqpConnectionSettings { ContainerId = "glcmmae-local-broker", MaxFrameSize = 64 * 1024 });
        connection.Closed += (_, _) => _connections.TryRemove(connection, out _);
        _connections[connection] = true;
        _ = connection.OpenAsync(TimeSpan.FromSeconds(30)).ContinueWith(t => connection.SafeClose(t.Exception), TaskContinuationOptions.OnlyOnFaulted);
    }

    private void OnTokenRequest(ReceivingAmqpLink link, AmqpMessage request)
    {
        // Any token is accepted: the broker rehearses delivery, not authorisation.
        var replyTo = request.Properties.ReplyTo?.ToString();
        var response = AmqpMessage.Create();
        response.Properties.CorrelationId = request.Properties.MessageId;
        response.ApplicationProperties.Map["status-code"] = 202;
        response.ApplicationProperties.Map["status-description"] = "Accepted";
        response.Settled = true;
        link.DisposeMessage(request, AmqpConstants.AcceptedOutcome, true, false);
        if (replyTo is not null && _cbsReplies.TryGetValue(replyTo, out var sender))
        {
            sender.SendMessageNoWait(response, AmqpConstants.EmptyBinary, AmqpConstants.NullBinary);
        }
    }

    private void OnTopicMessage(ReceivingAmqpLink link, string topic, AmqpMessage message)
    {
        var parts = message.MessageFormat == AmqpConstants.AmqpBatchedMessageFormat
            ? [.. message.DataBody.Select(d => AmqpMessage.CreateAmqpStreamMessage(new BufferListStream([(ArraySegment<byte>)d.Value]), true))]
            : new[] { message };
        foreach (var part in parts)
        {
            var brokered = BrokeredMessage.From(part, DateTimeOffset.UtcNow);
            // Service Bus duplicate detection: a MessageId seen before on this entity is accepted and dropped.
            if (brokered.MessageId is { } id && !_seenIds[topic].TryAdd(id, true))
            {
                Interlocked.Increment(ref _duplicates);
                continue;
            }

            _topics[topic].Enqueue(brokered);
        }

        link.DisposeMessage(message, AmqpConstants.AcceptedOutcome, true, false);
    }

    private sealed class CompletedResult(object? state) : IAsyncResult
    {
        public object? AsyncState => state;

        public WaitHandle AsyncWaitHandle => throw new NotSupportedException();

        public bool CompletedSynchronously => false;

        public bool IsCompleted => true;
    }
}
