-- wrk script for the soak: cycle through the addresses in bench/.soak-paths
-- (one per line), each thread from its own place in the list; then report
-- as the benchmark does (bench/report.lua).
local paths = {}
for line in io.lines(".bench/soak-paths") do
    paths[#paths + 1] = line
end
local counter = 0
local offset = 0

function setup(thread)
    thread:set("offset", offset)
    offset = offset + 997
end

function request()
    counter = counter + 1
    local path = paths[((counter + offset) % #paths) + 1]
    return wrk.format("GET", path)
end

dofile("bench/report.lua")
