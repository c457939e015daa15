-- Spectrogram-All: latency distribution of every system call.

view_info = {
  id = "spectro_all",
  name = "Spectrogram-All",
  description = "How long system calls take: each column is an interval, each cell a latency range, the color how many calls fell in it.",
  view_type = "spectrogram",
  applies_to = {"evt.type"},
  filter = "evt.dir=<",
  use_defaults = false,
  columns = {
    { name = "NA", field = "evt.latency.quantized", is_key = true },
    { name = "LATENCY", field = "evt.latency.quantized", description = "The latency range." },
    { name = "COUNT", field = "evt.count", aggregation = "SUM", colsize = 8, description = "Calls in the range." },
  },
}
