using System.Runtime.InteropServices;
using Firecrest.Streamer;

// firecrest-streamer server [--secret S] --host H --port-range A B --wait-timeout T --inbound-transfer-limit L
//                           [--public-ips IP...] (send|receive) --path P
StreamerServerOptions options;
try
{
    options = StreamerServerOptions.Parse(args, Environment.GetEnvironmentVariable);
}
catch (ArgumentException e)
{
    Console.Error.WriteLine($"firecrest-streamer: {e.Message}");
    Console.Error.WriteLine("usage: firecrest-streamer server [--secret S] [--host H] [--port-range A B] [--wait-timeout SECONDS] "
        + "[--inbound-transfer-limit BYTES] [--public-ips IP...] (send|receive) --path PATH");
    return StreamerExitCodes.Usage;
}

using var stop = new CancellationTokenSource();
using var term = PosixSignalRegistration.Create(PosixSignal.SIGTERM, c => { c.Cancel = true; stop.Cancel(); });
using var interrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, c => { c.Cancel = true; stop.Cancel(); });
using var server = new StreamerServer(options, Console.Out, Console.Error);
try
{
    server.Start();
}
catch (StreamerException e)
{
    Console.Error.WriteLine($"firecrest-streamer: {e.Message}");
    return StreamerExitCodes.NoFreePort;
}
return await server.RunAsync(stop.Token);
