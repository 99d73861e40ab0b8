using System.Net;
using System.Net.Sockets;

namespace Vtorc.LocalCluster;

/// <summary>Free TCP ports on 127.0.0.1, found by letting the kernel choose and releasing them at once.</summary>
public static class LoopbackPorts
{
    /// <summary>
    /// <paramref name="count"/> distinct free ports. Another process may take one before our child binds it;
    /// launchers detect that from the child's log and pick again.
    /// </summary>
    public static int[] PickFree(int count)
    {
        // All listeners stay open together so the ports differ from each other.
        var listeners = new TcpListener[count];
        try
        {
            for (var i = 0; i < count; i++)
            {
                listeners[i] = new TcpListener(IPAddress.Loopback, 0);
                listeners[i].Start();
            }

            return [.. listeners.Select(l => ((IPEndPoint)l.LocalEndpoint).Port)];
        }
        finally
        {
            foreach (var listener in listeners)
            {
                listener?.Stop();
            }
        }
    }
}
