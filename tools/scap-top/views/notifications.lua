-- Notifications: notification events found in the capture.

view_info = {
  id = "notifications",
  name = "Notifications",
  description = "Notification events carried by the capture.",
  tags = {"nocsysdig"},
  view_type = "list",
  applies_to = {""},
  filter = "evt.type=notification",
  use_defaults = true,
  columns = {
    { name = "TIME", field = "evt.time", colsize = 12, description = "When it was raised." },
    { name = "ID", field = "evt.arg.id", colsize = 24, description = "Its id." },
    { name = "Container", field = "container.name", colsize = 20, tags = {"containers"}, description = "The container it concerns." },
    { name = "DESCRIPTION", field = "evt.arg.desc", colsize = 0, description = "What it says." },
  },
}
