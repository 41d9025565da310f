/**
 * Great-circle distance ({@link dev.perfkit.traffic.geo.Geo#haversineKm}, R = 6371 km), bearing, and nearest
 * neighbours within a radius ({@link dev.perfkit.traffic.geo.NeighbourSearch}).
 */
package dev.perfkit.traffic.geo;
