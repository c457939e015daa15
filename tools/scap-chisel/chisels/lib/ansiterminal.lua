-- ansiterminal: ANSI colour codes and cursor control for chisels (scap-chisel's own module).
-- The colour names are fields holding escape sequences, or empty strings once colours are off.

local term = {}

local codes = {
	reset = 0, clear = 0, bright = 1, dim = 2, underscore = 4, blink = 5, reverse = 7, hidden = 8,
	black = 30, red = 31, green = 32, yellow = 33, blue = 34, magenta = 35, cyan = 36, white = 37,
	onblack = 40, onred = 41, ongreen = 42, onyellow = 43, onblue = 44, onmagenta = 45, oncyan = 46,
	onwhite = 47,
}

local ESC = "\27["

function term.enable_color(on)
	for name, code in pairs(codes) do
		if on == true then
			term[name] = ESC .. code .. "m"
		else
			term[name] = ""
		end
	end
end

function term.clearscreen() io.write(ESC .. "2J") end
function term.moveto(x, y) io.write(ESC .. tostring(x) .. ";" .. tostring(y) .. "H") end
function term.moveup(n) io.write(ESC .. tostring(n) .. "F") end
function term.clearline() io.write(ESC .. "2K") end
function term.hidecursor() io.write(ESC .. "?25l") end
function term.showcursor() io.write(ESC .. "?25h") end
function term.setfgcol(c) io.write(ESC .. "38;5;" .. c .. "m") end
function term.setbgcol(c) io.write(ESC .. "48;5;" .. c .. "m") end

return term
