-- scap_heatmap: drawing for spectrogram and subsecoffset: one terminal row of coloured cells per
-- interval, the colour and shading of a cell growing with its count.
local M = {}

local PALETTE = { 22, 28, 64, 34, 2, 76, 46, 118, 154, 191, 227, 226, 11, 220, 209, 208, 202, 197, 9, 1 }
local SHADES = { " ", "░", "▒", "░" }

-- Foreground colour, background colour and character for a cell seen n times, where
-- per_sec scales n to a rate.
function M.cell(n, per_sec)
	local c = math.log10(n * per_sec + 1) / math.log10(1.6)
	c = math.max(1, math.min(c, #PALETTE))
	local lo, hi = math.floor(c), math.ceil(c)
	local frac = c - lo
	local ch = SHADES[math.floor(1 + frac * #SHADES)]
	if frac > .75 then
		return PALETTE[hi], PALETTE[lo], ch
	end
	return PALETTE[lo], PALETTE[hi], ch
end

-- Draws cells 1..width from counts, moving up over the previous axis line first. empty(term)
-- sets the colours of an empty cell.
function M.row(term, counts, width, per_sec, empty)
	term.moveup(1)
	for x = 1, width do
		local n = counts[x]
		local ch = " "
		if n == nil or n == 0 then
			empty(term)
		else
			local fg, bg
			fg, bg, ch = M.cell(n, per_sec)
			term.setfgcol(fg)
			term.setbgcol(bg)
		end
		io.write(ch)
	end
	io.write(term.reset .. "\n")
end

-- The terminal check both chisels start with.
function M.need_tty()
	if not sysdig.is_tty() then
		print("This chisel only works on ANSI terminals. Aborting.")
		return false
	end
	return true
end

return M
