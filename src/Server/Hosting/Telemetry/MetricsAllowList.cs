using System.Net;

namespace Firecrest.Server.Hosting.Telemetry;

/// <summary>The networks of <see cref="PrometheusOptions.AllowedNetworks"/>, parsed once at start.</summary>
public sealed class MetricsAllowList
{
    private readonly IReadOnlyList<IPNetwork> _networks;

    /// <exception cref="InvalidOperationException">An entry is neither an address nor a network (named in the message).</exception>
    public MetricsAllowList(IEnumerable<string> entries)
    {
        var networks = new List<IPNetwork>();
        foreach (var entry in entries)
        {
            var text = entry.Trim();
            if (IPNetwork.TryParse(text, out var network)) networks.Add(network);
            else if (IPAddress.TryParse(text, out var address)) networks.Add(new IPNetwork(address, address.GetAddressBytes().Length * 8));
            else throw new InvalidOperationException($"Telemetry:Prometheus:AllowedNetworks: '{entry}' is not an IP address or a network in CIDR notation (e.g. 10.0.0.0/8).");
        }
        _networks = networks;
    }

    /// <summary>Number of networks.</summary>
    public int Count => _networks.Count;

    /// <summary>True when <paramref name="address"/> lies in one of the networks (IPv4-mapped IPv6 addresses as IPv4); false for null.</summary>
    public bool Allows(IPAddress? address)
    {
        if (address is null) return false;
        if (address.IsIPv4MappedToIPv6) address = address.MapToIPv4();
        foreach (var network in _networks)
            if (network.Contains(address)) return true;
        return false;
    }
}
