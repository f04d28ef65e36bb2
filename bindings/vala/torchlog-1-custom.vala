/* Hand-written parts of torchlog-1.vapi, merged by vapigen into what it
 * reads from Torchlog-1.0.gir (see Torchlog-1.0.metadata for why). */
namespace Tl {
	public sealed class Registry : GLib.Object {
		[CCode (cname = "tl_registry_register_log")]
		public unowned Tl.Component register_log (string name, [CCode (array_length = false, array_null_terminated = true, type = "const char* const*")] string[]? domains, string? description);
		/* Vala calls the array form of set_logs() by the C name's short
		 * form, as the other bindings do through its (rename-to). */
		[CCode (cname = "tl_registry_set_logsv")]
		public bool set_logs ([CCode (array_length_cname = "n_settings", array_length_pos = 0.5, array_length_type = "guint", type = "const char* const*")] string[] names, [CCode (array_length_cname = "n_settings", array_length_pos = 0.5, array_length_type = "guint")] GLib.Value[] values) throws GLib.Error;
	}
}
