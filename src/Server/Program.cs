using Firecrest.Server;

// The settings files are read once: watching them for changes would first walk the whole current folder with inotify,
// hundreds of milliseconds of start-up in a large one. Arguments given after this still override it.
var builder = WebApplication.CreateBuilder(["--hostBuilder:reloadConfigOnChange=false", .. args]);
builder.AddFirecrestServer();

var app = builder.Build();
app.UseFirecrestServer();
app.MapFirecrestApis();
app.Run();

/// <summary>Entry point (public for WebApplicationFactory).</summary>
public partial class Program;
