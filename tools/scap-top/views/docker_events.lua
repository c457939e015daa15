-- Docker Events: container lifecycle events reported by the engine.

view_info = {
  id = "docker_events",
  name = "Docker Events",
  description = "Container engine events (create, start, die...) as they were captured.",
  tags = {"Default", "nocsysdig"},
  view_type = "list",
  applies_to = {""},
  filter = "evt.type=infra",
  use_defaults = true,
  columns = {
    { name = "TIME", field = "evt.time", colsize = 18, description = "When it happened." },
    { name = "EVENT TYPE", field = "evt.arg.name", colsize = 20, description = "What happened." },
    { name = "CONTAINER ID", field = "evt.infra.docker.container.id", colsize = 20, description = "The container id." },
    { name = "CONTAINER IMAGE", field = "evt.infra.docker.container.image", colsize = 20, description = "Its image." },
    { name = "CONTAINER NAME", field = "evt.infra.docker.container.name", colsize = 0, description = "Its name." },
  },
}
