using System.Net;
using System.Net.Sockets;

namespace GlcmMae.Rehearsal.Networking;

/// <summary>Hands out free TCP ports on 127.0.0.1 for local servers (Azurite, the broker).</summary>
public static class LoopbackPorts
{
    /// <summary>Asks the OS for a free port by binding port 0, then releases it for the server to take.</summary>
    public static int GetFree()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }
}
